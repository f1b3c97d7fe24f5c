"""Indonesia's three time zones, from a province's Kemendagri code.

WIB (UTC+7): Sumatra, Java, West and Central Kalimantan.
WITA (UTC+8): Bali, Nusa Tenggara, South/East/North Kalimantan, Sulawesi.
WIT (UTC+9): Maluku and Papua.
"""

WIB = "Asia/Jakarta"
WITA = "Asia/Makassar"
WIT = "Asia/Jayapura"

ZONE_ABBREVIATIONS = {WIB: "WIB", WITA: "WITA", WIT: "WIT"}

_WITA_PROVINCES = {"51", "52", "53", "63", "64", "65", "71", "72", "73", "74", "75", "76"}
_WIT_PROVINCES = {"81", "82", "91", "92", "93", "94", "95", "96"}


def zone_for_province(province_code: str | None) -> str:
    """The IANA zone of a province code ("35" or "35.07"); K/L (no region) use WIB."""
    if not province_code:
        return WIB
    prefix = province_code.split(".")[0]
    if prefix in _WIT_PROVINCES:
        return WIT
    if prefix in _WITA_PROVINCES:
        return WITA
    return WIB


def abbreviation(zone_name: str) -> str:
    return ZONE_ABBREVIATIONS.get(zone_name, zone_name)
