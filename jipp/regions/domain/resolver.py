"""Agency names as people write them -> the agency they mean, with a confidence.

Pure Python (no Django): `normalise` turns a spelling into a comparable key ("Pemprov Jatim",
"Pemerintah Provinsi Jawa Timur" and "Prov. Jawa Timur" all become "provinsi jawa timur");
`AgencyMatcher` holds the keys of every agency plus the aliases the Ministry saved, and
`resolve` returns the candidates, best first, and the one candidate it is sure enough to use
without asking (`accepted`), or None when a person must choose.

Never guess: a candidate is accepted only on an exact key (the official name, the short name,
a region name that belongs to one agency only, a saved alias, a field-office rule) or on a
near-identical spelling that agrees on the level (kabupaten / kota / provinsi) and on the
direction words (utara, selatan...) and leaves no close second. Everything else comes back
with its candidates for the user to choose, and the choice can be saved as an alias.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

# Accept a fuzzy match only at or above this similarity, and only this far ahead of the next agency.
FUZZY_ACCEPT = 0.92
FUZZY_MARGIN = 0.06
# Show fuzzy candidates down to this similarity.
FUZZY_SHOW = 0.6
MAX_CANDIDATES = 5

LEVEL_WORDS = {"provinsi", "kabupaten", "kota"}
DIRECTION_WORDS = {"utara", "selatan", "timur", "barat", "tengah", "pusat", "daya", "laut", "raya", "induk"}

# Words that carry no meaning for the match ("Pemerintah Kota Surabaya" = "Kota Surabaya").
DROP_LEADING = (
    ("pemerintah", "daerah"),
    ("pemerintahan", "daerah"),
    ("pemerintah",),
    ("pemerintahan",),
    ("pemda",),
)
# One word -> its written-out form. Short forms used in decrees and the press.
TOKEN_EXPANSIONS = {
    "pemprov": "provinsi",
    "pemprop": "provinsi",
    "prov": "provinsi",
    "prop": "provinsi",
    "propinsi": "provinsi",
    "pemkab": "kabupaten",
    "kab": "kabupaten",
    "kabupatan": "kabupaten",
    "pemkot": "kota",
    "kementrian": "kementerian",
    "kemen": "kementerian",
    "ham": "hak asasi manusia",
    "ukm": "usaha kecil menengah",
    "ri": "republik indonesia",
    "nkri": "republik indonesia",
    "dki": "daerah khusus ibukota",
    "dkj": "daerah khusus jakarta",
    "diy": "daerah istimewa yogyakarta",
    "jogja": "yogyakarta",
    "jogjakarta": "yogyakarta",
    "yogya": "yogyakarta",
    "ntb": "nusa tenggara barat",
    "ntt": "nusa tenggara timur",
    "jatim": "jawa timur",
    "jateng": "jawa tengah",
    "jabar": "jawa barat",
    "sumut": "sumatera utara",
    "sumbar": "sumatera barat",
    "sumsel": "sumatera selatan",
    "sulut": "sulawesi utara",
    "sulteng": "sulawesi tengah",
    "sulsel": "sulawesi selatan",
    "sultra": "sulawesi tenggara",
    "sulbar": "sulawesi barat",
    "kalbar": "kalimantan barat",
    "kalteng": "kalimantan tengah",
    "kalsel": "kalimantan selatan",
    "kaltim": "kalimantan timur",
    "kaltara": "kalimantan utara",
    "babel": "kepulauan bangka belitung",
    "kepri": "kepulauan riau",
    "kep": "kepulauan",
    "malut": "maluku utara",
    "pabar": "papua barat",
    "sumatra": "sumatera",
    "kaltimtara": "kalimantan timur",
    "adm": "",
    "administrasi": "",
    "administratif": "",
}
# Words that join or decorate names without changing them.
FILLER = {"dan", "the", "of"}

# Field offices of central agencies: the first words of a unit's name -> the agency's short name.
FIELD_OFFICES = [
    (("polrestabes",), "Polri"),
    (("polresta",), "Polri"),
    (("polres",), "Polri"),
    (("polda",), "Polri"),
    (("polsek",), "Polri"),
    (("polsekta",), "Polri"),
    (("kepolisian", "resor"), "Polri"),
    (("kepolisian", "daerah"), "Polri"),
    (("kepolisian", "sektor"), "Polri"),
    (("kpp",), "Kemenkeu"),
    (("kantor", "pelayanan", "pajak"), "Kemenkeu"),
    (("kanwil", "djp"), "Kemenkeu"),
    (("kppbc",), "Kemenkeu"),
    (("kantor", "pengawasan", "dan", "pelayanan", "bea"), "Kemenkeu"),
    (("kppn",), "Kemenkeu"),
    (("kpknl",), "Kemenkeu"),
    (("kantor", "imigrasi"), "Kemenkumham"),
    (("kanim",), "Kemenkumham"),
    (("lapas",), "Kemenkumham"),
    (("lembaga", "pemasyarakatan"), "Kemenkumham"),
    (("rutan",), "Kemenkumham"),
    (("bapas",), "Kemenkumham"),
    (("kanwil", "kemenkumham"), "Kemenkumham"),
    (("kantor", "wilayah", "kementerian", "hukum"), "Kemenkumham"),
    (("kantor", "pertanahan"), "Kementerian ATR/BPN"),
    (("kantah",), "Kementerian ATR/BPN"),
    (("kanwil", "bpn"), "Kementerian ATR/BPN"),
    (("kantor", "kementerian", "agama"), "Kemenag"),
    (("kankemenag",), "Kemenag"),
    (("kua",), "Kemenag"),
    (("rsup",), "Kemenkes"),
    (("bbpom",), "BPOM"),
    (("balai", "besar", "pom"), "BPOM"),
    (("loka", "pom"), "BPOM"),
    (("bps", "provinsi"), "BPS"),
    (("bps", "kabupaten"), "BPS"),
    (("bps", "kota"), "BPS"),
    (("kejari",), "Kejaksaan RI"),
    (("kejati",), "Kejaksaan RI"),
    (("kejaksaan", "negeri"), "Kejaksaan RI"),
    (("kejaksaan", "tinggi"), "Kejaksaan RI"),
    (("pengadilan",), "Mahkamah Agung"),
    (("kodim",), "TNI"),
    (("korem",), "TNI"),
    (("lanal",), "TNI"),
    (("lanud",), "TNI"),
]
# The part of a field office's name after the prefix words that names its place ("Polres Sidoarjo").
_PLACE_NOISE = {"kota", "kabupaten", "provinsi", "pratama", "madya", "kelas", "i", "ii", "iii", "iia", "iib", "tpi"}


def fold(text: str) -> str:
    """Lower case, accents and other marks removed ('Café' -> 'cafe')."""
    text = text or ""
    if text.isascii():
        return text.lower()  # nothing to decompose (most names and titles): 20 times faster
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def _tokens(text: str) -> list[str]:
    text = fold(text).replace("&", " dan ")
    text = re.sub(r"\br\.\s?i\b\.?", " ri ", text)
    text = re.sub(r"[^\w\s]", " ", text)
    out: list[str] = []
    for token in text.split():
        expanded = TOKEN_EXPANSIONS.get(token, token)
        out.extend(expanded.split())
    return out


def normalise(text: str) -> str:
    """The comparable key of an agency spelling: folded, short forms written out, 'Pemerintah' dropped."""
    tokens = _tokens(text)
    for prefix in DROP_LEADING:
        if prefix[-1] == "daerah" and tokens[len(prefix) : len(prefix) + 1] in (["istimewa"], ["khusus"]):
            continue  # 'Pemerintah Daerah Istimewa Yogyakarta': 'Daerah' belongs to the name
        if tuple(tokens[: len(prefix)]) == prefix and len(tokens) > len(prefix):
            tokens = tokens[len(prefix) :]
            break
    tokens = [t for t in tokens if t not in FILLER]
    return " ".join(tokens)


def split_parenthesis(text: str) -> tuple[str, str]:
    """'Polres Malang (Kepolisian Negara RI)' -> ('Polres Malang', 'Kepolisian Negara RI')."""
    match = re.match(r"^\s*(.*?)\s*\((.*)\)\s*$", text or "")
    if not match:
        return (text or "").strip(), ""
    return match.group(1).strip(), match.group(2).strip()


@dataclass(frozen=True)
class AgencyEntry:
    """What the matcher needs of one agency."""

    id: int
    name: str
    short_name: str = ""
    type: str = ""  # province, regency, city, ministry, agency, soe, rsoe
    region_name: str = ""  # 'Jawa Timur', 'Kabupaten Sidoarjo', 'Kota Administrasi Jakarta Pusat'


@dataclass(frozen=True)
class Candidate:
    agency_id: int
    name: str
    score: float  # 0..1
    how: str  # exact, short_name, region, alias, field_office, fuzzy


@dataclass(frozen=True)
class Resolution:
    text: str
    candidates: tuple[Candidate, ...] = ()
    accepted: Candidate | None = None
    unit_name: str = ""  # a unit named in the text (a field office, or the part before a parenthesis)
    unit_place: str = ""  # the key of the place a field office names (to find its region), or ""

    @property
    def confidence(self) -> float:
        return self.candidates[0].score if self.candidates else 0.0


@dataclass
class _Key:
    agency_id: int
    score: float
    how: str


def _levels(key: str) -> set[str]:
    return set(key.split()) & LEVEL_WORDS


def _directions(key: str) -> set[str]:
    return set(key.split()) & DIRECTION_WORDS


def bare_region(region_name: str) -> str:
    """'Kabupaten Sidoarjo' -> 'sidoarjo'; 'Daerah Khusus Ibukota Jakarta' stays whole."""
    key = normalise(region_name)
    for level in ("kabupaten ", "kota ", "provinsi "):
        if key.startswith(level):
            return key[len(level) :]
    return key


@dataclass
class AgencyMatcher:
    """Every agency's keys and the saved aliases; `resolve` a spelling to candidates."""

    agencies: Iterable[AgencyEntry]
    aliases: Mapping[str, int] = field(default_factory=dict)  # normalised alias -> agency id

    def __post_init__(self) -> None:
        self.by_id: dict[int, AgencyEntry] = {}
        self.keys: dict[str, list[_Key]] = {}
        self.by_short: dict[str, int] = {}
        for agency in self.agencies:
            self.by_id[agency.id] = agency
            for key, score, how in self._keys_of(agency):
                if key:
                    bucket = self.keys.setdefault(key, [])
                    if all(k.agency_id != agency.id for k in bucket):
                        bucket.append(_Key(agency.id, score, how))
            if agency.short_name:
                self.by_short[agency.short_name.lower()] = agency.id
        self.aliases = {normalise(k): v for k, v in dict(self.aliases).items() if v in self.by_id}
        self._key_list = list(self.keys)
        # 'Pematang Siantar' = 'Pematangsiantar', 'Gunung Kidul' = 'Gunungkidul'.
        self.compact: dict[str, list[str]] = {}
        for key in self._key_list:
            self.compact.setdefault(key.replace(" ", ""), []).append(key)
        self._cache: dict[str, Resolution] = {}

    @staticmethod
    def _keys_of(agency: AgencyEntry) -> list[tuple[str, float, str]]:
        keys = [(normalise(agency.name), 1.0, "exact")]
        if agency.short_name:
            keys.append((normalise(agency.short_name), 1.0, "short_name"))
        name = normalise(agency.name)
        if name.endswith(" republik indonesia"):
            keys.append((name[: -len(" republik indonesia")], 1.0, "exact"))
        if "/" in agency.name:
            for part in agency.name.split("/"):
                keys.append((normalise(part), 0.97, "exact"))
        if agency.region_name and agency.type in ("province", "regency", "city"):
            level = {"province": "provinsi", "regency": "kabupaten", "city": "kota"}[agency.type]
            bare = bare_region(agency.region_name)
            keys.append((f"{level} {bare}", 1.0, "exact"))
            # The region's name alone: certain only when no other agency has it (see resolve).
            keys.append((bare, 0.95, "region"))
            if agency.type == "province" and bare.startswith("daerah "):
                # 'Jakarta', 'Yogyakarta': the province is meant as often as the city.
                keys.append((bare.split()[-1], 0.9, "region"))
        return keys

    def resolve(self, text: str) -> Resolution:
        """Candidates for `text`, best first; `accepted` only when sure. Cached per spelling."""
        text = (text or "").strip()
        cached = self._cache.get(text)
        if cached is not None:
            return cached
        result = self._resolve(text)
        self._cache[text] = result
        return result

    def _resolve(self, text: str) -> Resolution:
        if not normalise(text):
            return Resolution(text)
        outside, inside = split_parenthesis(text)
        office = self._field_office(outside)
        if office is not None:
            return office
        whole = self._match(normalise(text))
        if whole.accepted or not inside:
            return Resolution(text, whole.candidates, whole.accepted)
        first = self._match(normalise(outside))
        if first.accepted and first.accepted.how != "fuzzy":
            return Resolution(text, first.candidates, first.accepted)  # '(Jawa Timur)' only says where
        second = self._match(normalise(inside))
        if second.accepted:
            return Resolution(text, second.candidates, second.accepted, unit_name=outside)
        merged = sorted({c.agency_id: c for c in (*first.candidates, *second.candidates)}.values(),
                        key=lambda c: -c.score)  # fmt: skip
        return Resolution(text, tuple(merged[:MAX_CANDIDATES]), None)

    def _field_office(self, text: str) -> Resolution | None:
        tokens = normalise(text).split()
        for prefix, short_name in FIELD_OFFICES:
            if tuple(tokens[: len(prefix)]) == prefix and len(tokens) > len(prefix):
                agency_id = self.by_short.get(short_name.lower())
                if agency_id is None:
                    return None
                candidate = Candidate(agency_id, self.by_id[agency_id].name, 0.97, "field_office")
                place = " ".join(t for t in tokens[len(prefix) :] if t not in _PLACE_NOISE)
                return Resolution(text, (candidate,), candidate, unit_name=text.strip(), unit_place=place)
        return None

    def _candidates(self, key: str) -> list[Candidate]:
        found = self.keys.get(key, [])
        return [Candidate(k.agency_id, self.by_id[k.agency_id].name, k.score, k.how) for k in found]

    def _match(self, key: str) -> Resolution:
        if not key:
            return Resolution(key)
        if key in self.aliases:
            agency_id = self.aliases[key]
            candidate = Candidate(agency_id, self.by_id[agency_id].name, 1.0, "alias")
            return Resolution(key, (candidate,), candidate)
        exact = self._candidates(key)
        if not exact:
            for other in self.compact.get(key.replace(" ", ""), []):
                exact += [c for c in self._candidates(other) if all(e.agency_id != c.agency_id for e in exact)]
        if len(exact) == 1:
            return Resolution(key, tuple(exact), exact[0])
        if not exact and key.endswith(" republik indonesia"):
            return self._match(key[: -len(" republik indonesia")])
        if len(exact) > 1:
            # The same words name several agencies ('Malang': the regency and the city): ask.
            ambiguous = tuple(Candidate(c.agency_id, c.name, min(c.score, 0.9), c.how) for c in exact)
            return Resolution(key, ambiguous, None)
        return self._fuzzy(key)

    def _fuzzy(self, key: str) -> Resolution:
        matcher = difflib.SequenceMatcher(autojunk=False)
        matcher.set_seq2(key)
        best: dict[int, tuple[Candidate, str]] = {}  # agency id -> (candidate, the key it matched)
        for other in self._key_list:
            matcher.set_seq1(other)
            if matcher.real_quick_ratio() < FUZZY_SHOW or matcher.quick_ratio() < FUZZY_SHOW:
                continue
            score = matcher.ratio()
            if score < FUZZY_SHOW:
                continue
            for k in self.keys[other]:
                weighted = round(score * (1.0 if k.how != "region" else 0.98), 3)
                if k.agency_id not in best or best[k.agency_id][0].score < weighted:
                    best[k.agency_id] = (Candidate(k.agency_id, self.by_id[k.agency_id].name, weighted, "fuzzy"), other)
        ranked = sorted(best.values(), key=lambda pair: (-pair[0].score, pair[0].name))[:MAX_CANDIDATES]
        if not ranked:
            # Nothing close: still name the nearest few (never accepted), so the person can choose or respell.
            nearest = self._nearest(key)
            return Resolution(key, nearest, None)
        top, matched_key = ranked[0]
        second = ranked[1][0].score if len(ranked) > 1 else 0.0
        sure = (
            top.score >= FUZZY_ACCEPT
            and top.score - second >= FUZZY_MARGIN
            and _levels(key) == _levels(matched_key)
            and _directions(key) == _directions(matched_key)
        )
        return Resolution(key, tuple(c for c, _k in ranked), top if sure else None)

    def _nearest(self, key: str, count: int = 3) -> tuple[Candidate, ...]:
        """The `count` most similar agencies whatever their similarity (for a spelling nothing resembles)."""
        matcher = difflib.SequenceMatcher(autojunk=False)
        matcher.set_seq2(key)
        best: dict[int, Candidate] = {}
        for other in self._key_list:
            matcher.set_seq1(other)
            score = round(matcher.ratio(), 3)
            for k in self.keys[other]:
                if k.agency_id not in best or best[k.agency_id].score < score:
                    best[k.agency_id] = Candidate(k.agency_id, self.by_id[k.agency_id].name, score, "fuzzy")
        ranked = sorted(best.values(), key=lambda c: (-c.score, c.name))
        return tuple(c for c in ranked[:count] if c.score > 0)

    def region_key_of(self, agency_id: int) -> str:
        agency = self.by_id.get(agency_id)
        return bare_region(agency.region_name) if agency and agency.region_name else ""
