"""The 2021 guide (*juklak*) of KIPP as data: groups, form sections, attachments, rubric, quotas.

Plain constants, read by the data migration that creates the 2021 edition and by the demo. Section
keys of the *Umum* form match `jipp.core.textgen.SECTIONS`. Weights are percentages; only the
summary's 5 % is published (DOMAIN.md), the others are configuration the secretariat may change.
"""

# (key, Indonesian title, English title, max words, weight %, weight is public)
UMUM_SECTIONS = [
    ("ringkasan", "Ringkasan", "Summary", 200, 5, True),
    ("ide_inovatif", "Ide Inovatif", "Innovative idea", 600, 25, False),
    ("signifikansi", "Signifikansi", "Significance", 600, 20, False),
    ("kontribusi_tpb", "Kontribusi terhadap TPB/SDGs", "Contribution to the SDGs", 200, 10, False),
    ("adaptabilitas", "Adaptabilitas", "Adaptability", 400, 15, False),
    ("keberlanjutan", "Keberlanjutan", "Sustainability", 600, 15, False),
    ("kolaborasi", "Kolaborasi Pemangku Kepentingan", "Stakeholder collaboration", 200, 10, False),
]
REPLIKASI_SECTIONS = [
    ("ringkasan", "Ringkasan", "Summary", 200, 5, True),
    ("inspirasi", "Inspirasi Replikasi (sebutkan inovasi Top 99 sumber)",
     "Inspiration (name the source Top 99 innovations)", 100, 20, False),
    ("proses_replikasi", "Proses Replikasi", "Replication process", 200, 40, False),
    ("faktor_pembeda", "Faktor Pembeda", "What differs", 100, 35, False),
]  # fmt: skip
KHUSUS_SECTIONS = [
    ("ringkasan", "Ringkasan", "Summary", 200, 5, True),
    ("pembaruan", "Pembaruan", "Renewal", 200, 25, False),
    ("adaptabilitas", "Adaptabilitas", "Adaptability", 200, 20, False),
    ("penguatan_keberlanjutan", "Penguatan Keberlanjutan (strategi kelembagaan, sosial dan manajerial)",
     "Strengthening sustainability (institutional, social and managerial strategies)", 300, 25, False),
    ("evaluasi", "Evaluasi", "Evaluation", 300, 25, False),
]  # fmt: skip

# (key, Indonesian title, English title, kind, required)
ATTACHMENTS = [
    ("data_dukung", "Data dukung setiap jawaban", "Supporting data for each answer", "file", True),
    ("video", "Tautan video", "Video link", "link", True),
    ("sk_inovator", "SK penetapan inovator atau tim inovasi", "Decree appointing the innovator or team", "file", True),
    ("bukti_inisiasi", "Bukti inisiasi inovasi", "Proof of initiation", "file", True),
    ("standar_pelayanan", "Standar pelayanan", "Service standard", "file", True),
    ("maklumat", "Maklumat pelayanan", "Service pledge", "file", True),
    ("sk_pengaduan", "SK pengelolaan pengaduan", "Complaint-handling decree", "file", True),
]
REPLIKASI_EXTRA_ATTACHMENTS = [
    ("pernyataan_replikasi", "Surat pernyataan replikasi yang ditandatangani", "Signed replication statement",
     "file", True),
]  # fmt: skip

# kind, name, min age (years), invitation only, default quota, sections
GROUPS = [
    ("umum", "Umum", 2, False, 10, UMUM_SECTIONS),
    ("replikasi", "Replikasi", 1, False, 5, REPLIKASI_SECTIONS),
    ("khusus", "Khusus", 2, True, None, KHUSUS_SECTIONS),
]

# The rubric: one criterion per weighted section, scored 1-10 (placeholders until part 2 sets guidance).
RUBRIC_SCALE = (1, 10)

# (kind, start, end) in the reference zone (WIB), ISO local times.
STAGES_2021 = [
    ("submission", "2021-01-18T00:00", "2021-03-15T23:59"),
    ("administrative_selection", "2021-03-16T00:00", "2021-03-31T23:59"),
    ("desk_evaluation", "2021-04-01T00:00", "2021-05-15T23:59"),
    ("nomination", "2021-05-16T00:00", "2021-05-31T23:59"),
    ("public_scrutiny", "2021-06-01T00:00", "2021-06-05T23:59"),
    ("presentations", "2021-06-14T00:00", "2021-07-09T23:59"),
    ("field_verification", "2021-07-12T00:00", "2021-08-13T23:59"),
    ("decree", "2021-09-01T00:00", "2021-09-30T23:59"),
]
CATEGORIES_2021 = [
    "poverty-reduction", "education", "health", "food-security", "economic-growth", "community-empowerment",
    "gender-responsive", "environment", "governance", "law-enforcement",
]  # fmt: skip
DECREE_2021 = "PermenPANRB No. 91 Tahun 2021"
