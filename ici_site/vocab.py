"""Fixed vocabularies of the content format, with their English names.

The names are template strings: ``N_`` marks them for ``pybabel extract``
(see babel.cfg) and the templates translate them with ``_()``.
"""

from __future__ import annotations


def N_(text: str) -> str:
    """Mark ``text`` for extraction without translating it here."""
    return text


# slug -> (English name, icon name); the order is the order on the home page.
CATEGORIES: dict[str, tuple[str, str]] = {
    "registration": (N_("Registration and papers"), "registration"),
    "language-courses": (N_("Language courses"), "language-courses"),
    "legal-advice": (N_("Legal advice"), "legal-advice"),
    "housing": (N_("Housing"), "housing"),
    "health": (N_("Health"), "health"),
    "daycare": (N_("Childcare"), "daycare"),
    "education": (N_("School and education"), "education"),
    "employment": (N_("Work"), "employment"),
    "womens-support": (N_("Support for women"), "womens-support"),
    "emergency": (N_("Emergency help"), "emergency"),
}

ICONS: tuple[str, ...] = tuple(icon for _, icon in CATEGORIES.values()) + ("other",)

COST: dict[str, str] = {
    "free": N_("Free"),
    "reduced": N_("Reduced price"),
    "paid": N_("Paid"),
}

APPOINTMENT: dict[str, str] = {
    "required": N_("Appointment required"),
    "recommended": N_("Appointment recommended"),
    "none": N_("No appointment needed"),
}

AUDIENCE: dict[str, str] = {
    "everyone": N_("Everyone"),
    "women": N_("Women"),
    "families": N_("Families"),
    "children": N_("Children"),
    "young-people": N_("Young people"),
    "seniors": N_("Older people"),
    "refugees": N_("Refugees"),
    "asylum-seekers": N_("Asylum seekers"),
    "temporary-protection": N_("People under temporary protection"),
    "students": N_("Students"),
    "job-seekers": N_("Job seekers"),
}

# Hints shown next to text that is not in the reader's language.
CHOOSE_LANGUAGE = N_("Choose your language")  # the root page shows it in every language
DEMO = N_("Example site: the services, addresses and phone numbers shown here are made up for demonstration.")
UNTRANSLATED = N_("not yet translated")
OUTDATED = N_("outdated translation")
MACHINE = N_("machine translated")
