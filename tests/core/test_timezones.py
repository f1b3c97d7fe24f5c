from jipp.core.timezones import WIB, WIT, WITA, abbreviation, zone_for_province


def test_zone_for_province_covers_the_three_zones():
    assert zone_for_province("35") == WIB  # Jawa Timur
    assert zone_for_province("35.15") == WIB
    assert zone_for_province("73.71") == WITA  # Kota Makassar
    assert zone_for_province("51") == WITA  # Bali
    assert zone_for_province("94") == WIT  # Papua Tengah
    assert zone_for_province("81") == WIT  # Maluku
    assert zone_for_province("61") == WIB  # Kalimantan Barat
    assert zone_for_province("64") == WITA  # Kalimantan Timur


def test_zone_for_province_without_region_is_wib():
    assert zone_for_province(None) == WIB


def test_abbreviation_names_the_zone():
    assert [abbreviation(z) for z in (WIB, WITA, WIT)] == ["WIB", "WITA", "WIT"]
