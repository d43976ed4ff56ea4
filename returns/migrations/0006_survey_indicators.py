"""The 15 indicators of the Reintegration Sustainability Survey, five in each dimension.

Written from the structure IOM's Reintegration Handbook (2019, annex 4) describes: 15
indicators across the economic, social and psychosocial dimensions, each answer placed on a
scale and weighted. The published wording, scales and weights could not be checked offline when
this was written: they are data, to be corrected in the admin against the annex (see README).
Until then every weight is 1.
"""

from django.db import migrations

AGREE = ["Strongly disagree", "Disagree", "Neither", "Agree", "Strongly agree"]
OFTEN_BAD = ["Very often", "Often", "Sometimes", "Rarely", "Never"]
GOOD_POOR = ["Very poor", "Poor", "Fair", "Good", "Very good"]
ACCESS = ["No access", "Limited access", "Good access"]

INDICATORS = [
    # (code, dimension, question, scale)
    ("economic-satisfaction", "economic", "How satisfied is the person with their economic situation?", ["Very dissatisfied", "Dissatisfied", "Neither", "Satisfied", "Very satisfied"]),
    ("economic-food", "economic", "How often did the household reduce meals or eat less for lack of money in the last month?", OFTEN_BAD),
    ("economic-borrow", "economic", "Could the person borrow money if they needed to?", ["No", "Yes"]),
    ("economic-debt", "economic", "How do the person's debts compare with their monthly spending?", ["Debts larger than spending", "Debts about equal to spending", "Debts smaller than spending", "No debts"]),
    ("economic-work", "economic", "Does the person have work or a regular source of income?", ["No", "Occasional", "Yes, regular"]),
    ("social-housing", "social", "How would the person rate the standard of their housing?", GOOD_POOR),
    ("social-health", "social", "Can the person use health services when they need them?", ACCESS),
    ("social-documents", "social", "Does the person have the identity documents they need?", ["No", "Some", "All"]),
    ("social-services", "social", "Can the person use public services (education, justice, social help)?", ACCESS),
    ("social-water", "social", "Does the household have safe drinking water?", ["No", "Sometimes", "Always"]),
    ("psychosocial-network", "psychosocial", "Does the person have people they can rely on for support?", AGREE),
    ("psychosocial-belonging", "psychosocial", "Does the person feel they belong in their community?", AGREE),
    ("psychosocial-discrimination", "psychosocial", "How often does the person feel discriminated against?", OFTEN_BAD),
    ("psychosocial-distress", "psychosocial", "How often does the person feel signs of distress (sadness, fear, anger, sleeplessness)?", OFTEN_BAD),
    ("psychosocial-safety", "psychosocial", "Does the person feel physically safe where they live?", AGREE),
]


def add(apps, schema_editor):
    SurveyIndicator = apps.get_model("returns", "SurveyIndicator")
    for position, (code, dimension, question, scale) in enumerate(INDICATORS):
        SurveyIndicator.objects.update_or_create(
            code=code,
            defaults={
                "dimension": dimension,
                "position": position,
                "question": question,
                "scale": scale,
                "weight": 1,
            },
        )


def remove(apps, schema_editor):
    apps.get_model("returns", "SurveyIndicator").objects.filter(
        code__in=[row[0] for row in INDICATORS]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("returns", "0005_after_return_follow_ups_consents_survey")]

    operations = [migrations.RunPython(add, remove)]
