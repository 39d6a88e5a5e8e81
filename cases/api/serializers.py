from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers

from cases import services
from cases.models import Borger, Team
from cases.selectors import teams_for


class TeamField(serializers.PrimaryKeyRelatedField):
    """A team the caller may use; any other id is 'does not exist' (no leak)."""

    def get_queryset(self):
        return teams_for(self.context["request"].user)


class BorgerSerializer(serializers.ModelSerializer):
    cpr_maskeret = serializers.CharField(read_only=True)
    alder = serializers.SerializerMethodField()
    team = TeamField(queryset=Team.objects.none())

    class Meta:
        model = Borger
        fields = [
            "id",
            "cpr_maskeret",
            "foedselsdato",
            "alder",
            "fornavn",
            "efternavn",
            "team",
            "adresse",
            "postnummer",
            "by",
            "telefon",
            "email",
            "kontaktkanal",
            "digital_post",
            "tolk",
            "tolkesprog",
            "hjemmebesoeg",
            "oprettet",
            "opdateret",
            "version",
        ]
        read_only_fields = ["id", "foedselsdato", "oprettet", "opdateret", "version"]

    def get_alder(self, obj) -> int:
        return obj.alder()


class BorgerOpretSerializer(BorgerSerializer):
    cpr = serializers.CharField(write_only=True, help_text="10 cifre, evt. DDMMÅÅ-XXXX. Returneres kun maskeret.")

    class Meta(BorgerSerializer.Meta):
        fields = ["cpr", *BorgerSerializer.Meta.fields]

    def create(self, validated_data):
        try:
            return services.borger_opret(actor=self.context["request"].user, **validated_data)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.message_dict) from None


class BorgerSoegSerializer(serializers.Serializer):
    cpr = serializers.CharField(
        required=False, allow_blank=True, help_text="Eksakt CPR-nummer (sendes i body, aldrig i URL)"
    )
    navn = serializers.CharField(required=False, allow_blank=True)


class CprVisSerializer(serializers.Serializer):
    begrundelse = serializers.CharField(help_text="Hvorfor det fulde CPR-nummer skal ses (logges)")


class CprSerializer(serializers.Serializer):
    cpr = serializers.CharField()
