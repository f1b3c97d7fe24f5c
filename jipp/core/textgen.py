"""Seeded generator of realistic Indonesian innovation titles and proposal texts.

Used by the screening benchmark and for demo data. Pure Python, deterministic for a given
``random.Random`` state. Texts are built from sentence templates with many slots
(service, problem, beneficiaries, numbers, region, agency...), so two texts on the same
topic share the domain vocabulary and stock phrases ("pelayanan publik", "masyarakat")
without sharing whole passages, as real proposals do.
"""

from __future__ import annotations

import random
import string
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Topic:
    """One field of public service with its own vocabulary."""

    name: str
    services: tuple[str, ...]
    problems: tuple[str, ...]
    beneficiaries: tuple[str, ...]
    places: tuple[str, ...]
    agencies: tuple[str, ...]


TOPICS: tuple[Topic, ...] = (
    Topic(
        "kesehatan",
        (
            "pelayanan kesehatan ibu dan anak",
            "imunisasi dasar lengkap",
            "pemeriksaan kehamilan",
            "layanan posyandu",
            "rujukan pasien gawat darurat",
            "pencegahan stunting",
            "deteksi dini penyakit tidak menular",
            "pelayanan kesehatan jiwa",
            "pemeriksaan gizi balita",
            "pengobatan tuberkulosis",
        ),
        (
            "tingginya angka kematian ibu",
            "rendahnya cakupan imunisasi",
            "antrean panjang di loket pendaftaran",
            "prevalensi stunting yang tinggi",
            "keterlambatan rujukan pasien",
            "jauhnya jarak ke fasilitas kesehatan",
            "kurangnya tenaga kesehatan di daerah terpencil",
            "rendahnya kepatuhan minum obat",
        ),
        ("ibu hamil", "balita", "warga lanjut usia", "pasien", "kader posyandu", "tenaga kesehatan", "remaja putri"),
        ("puskesmas", "posyandu", "rumah sakit umum daerah", "pos kesehatan desa", "puskesmas pembantu"),
        ("Dinas Kesehatan", "RSUD", "Puskesmas"),
    ),
    Topic(
        "pendidikan",
        (
            "layanan pendidikan anak usia dini",
            "penerimaan peserta didik baru",
            "gerakan literasi membaca",
            "pendidikan inklusif",
            "beasiswa siswa kurang mampu",
            "pembelajaran jarak jauh",
            "pelatihan guru",
            "layanan perpustakaan keliling",
        ),
        (
            "tingginya angka putus sekolah",
            "rendahnya minat baca",
            "kurangnya guru di sekolah terpencil",
            "terbatasnya akses internet di sekolah",
            "rendahnya kemampuan numerasi siswa",
            "kurangnya fasilitas bagi anak berkebutuhan khusus",
        ),
        ("siswa", "guru", "orang tua murid", "anak berkebutuhan khusus", "anak putus sekolah", "pengawas sekolah"),
        ("sekolah dasar", "taman baca masyarakat", "perpustakaan daerah", "sekolah menengah pertama", "PAUD"),
        ("Dinas Pendidikan", "Dinas Perpustakaan dan Kearsipan"),
    ),
    Topic(
        "kependudukan",
        (
            "penerbitan akta kelahiran",
            "perekaman KTP elektronik",
            "penerbitan kartu identitas anak",
            "pencatatan perkawinan",
            "penerbitan akta kematian",
            "pembaruan kartu keluarga",
            "pindah datang penduduk",
        ),
        (
            "rendahnya kepemilikan akta kelahiran",
            "jauhnya jarak ke kantor dinas",
            "berkas persyaratan yang berulang",
            "lamanya waktu penerbitan dokumen",
            "banyaknya penduduk yang belum merekam data",
            "tingginya biaya transportasi warga desa",
        ),
        (
            "penduduk",
            "warga lanjut usia",
            "penyandang disabilitas",
            "bayi baru lahir",
            "pasangan suami istri",
            "warga desa terpencil",
        ),
        ("kantor kecamatan", "kantor desa", "mal pelayanan publik", "rumah sakit bersalin", "kantor kelurahan"),
        ("Dinas Kependudukan dan Pencatatan Sipil",),
    ),
    Topic(
        "perizinan",
        (
            "perizinan berusaha",
            "persetujuan bangunan gedung",
            "izin usaha mikro",
            "sertifikasi halal",
            "izin praktik tenaga kesehatan",
            "izin reklame",
            "pendaftaran nomor induk berusaha",
        ),
        (
            "lamanya proses perizinan",
            "banyaknya meja yang harus dilalui pemohon",
            "praktik pungutan liar",
            "tidak jelasnya standar waktu pelayanan",
            "rendahnya kepatuhan pelaku usaha",
            "berkas yang sering hilang",
        ),
        ("pelaku usaha", "pelaku usaha mikro", "investor", "pemohon izin", "pedagang pasar"),
        ("mal pelayanan publik", "gerai perizinan", "kantor pelayanan terpadu satu pintu", "kantor kecamatan"),
        ("Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu",),
    ),
    Topic(
        "desa",
        (
            "pengelolaan dana desa",
            "badan usaha milik desa",
            "sistem informasi desa",
            "pemberdayaan masyarakat desa",
            "pelayanan administrasi desa",
            "pembangunan infrastruktur desa",
            "musyawarah perencanaan desa",
        ),
        (
            "rendahnya transparansi anggaran desa",
            "lambatnya pelayanan surat keterangan",
            "minimnya partisipasi warga",
            "belum optimalnya potensi ekonomi desa",
            "lemahnya kapasitas aparatur desa",
        ),
        ("aparatur desa", "warga desa", "kelompok tani", "pemuda desa", "kelompok perempuan"),
        ("balai desa", "kantor desa", "balai pertemuan dusun"),
        ("Dinas Pemberdayaan Masyarakat dan Desa",),
    ),
    Topic(
        "sosial",
        (
            "penyaluran bantuan sosial",
            "pemutakhiran data terpadu kesejahteraan sosial",
            "jaminan kesehatan bagi warga miskin",
            "rehabilitasi sosial",
            "perlindungan anak",
            "pendampingan keluarga penerima manfaat",
        ),
        (
            "bantuan yang tidak tepat sasaran",
            "data kemiskinan yang tidak mutakhir",
            "tingginya angka kemiskinan",
            "kasus kekerasan terhadap anak",
            "lambatnya penanganan pengaduan warga miskin",
        ),
        (
            "keluarga miskin",
            "penyandang disabilitas",
            "anak terlantar",
            "perempuan kepala keluarga",
            "pendamping sosial",
        ),
        ("kantor dinas sosial", "rumah singgah", "kantor desa", "pusat kesejahteraan sosial"),
        ("Dinas Sosial", "Dinas Pemberdayaan Perempuan dan Perlindungan Anak"),
    ),
    Topic(
        "lingkungan",
        (
            "pengelolaan sampah rumah tangga",
            "bank sampah",
            "penyediaan air bersih",
            "sanitasi berbasis masyarakat",
            "pengendalian banjir",
            "penghijauan lahan kritis",
        ),
        (
            "menumpuknya sampah di tempat pembuangan akhir",
            "rendahnya akses air bersih",
            "pencemaran sungai",
            "kebiasaan buang air besar sembarangan",
            "banjir tahunan di permukiman",
        ),
        ("rumah tangga", "kelompok pengelola sampah", "warga bantaran sungai", "pelajar", "petugas kebersihan"),
        ("tempat pengolahan sampah terpadu", "bank sampah unit", "instalasi pengolahan air", "kelurahan"),
        ("Dinas Lingkungan Hidup", "Perumda Air Minum"),
    ),
    Topic(
        "ekonomi",
        (
            "pemasaran produk UMKM",
            "pelatihan wirausaha muda",
            "akses permodalan usaha mikro",
            "pengendalian harga bahan pokok",
            "pengembangan ekonomi kreatif",
            "penempatan tenaga kerja",
        ),
        (
            "sempitnya pasar produk lokal",
            "sulitnya akses modal usaha",
            "tingginya angka pengangguran terbuka",
            "fluktuasi harga bahan pokok",
            "rendahnya literasi digital pelaku usaha",
        ),
        ("pelaku UMKM", "pencari kerja", "pengrajin", "petani", "nelayan", "pemuda"),
        ("pasar daerah", "rumah kemasan", "balai latihan kerja", "gerai UMKM"),
        ("Dinas Koperasi dan UMKM", "Dinas Tenaga Kerja", "Dinas Perdagangan"),
    ),
    Topic(
        "pertanian",
        (
            "penyuluhan pertanian",
            "distribusi pupuk bersubsidi",
            "ketahanan pangan keluarga",
            "asuransi usaha tani",
            "pelayanan kesehatan hewan",
            "pengembangan benih unggul",
        ),
        (
            "rendahnya produktivitas padi",
            "kelangkaan pupuk saat musim tanam",
            "serangan hama",
            "alih fungsi lahan pertanian",
            "rendahnya harga jual gabah",
        ),
        ("petani", "kelompok tani", "penyuluh pertanian", "peternak", "nelayan"),
        ("balai penyuluhan pertanian", "gudang pangan desa", "pos kesehatan hewan"),
        ("Dinas Pertanian", "Dinas Ketahanan Pangan"),
    ),
    Topic(
        "tata kelola",
        (
            "pengelolaan pengaduan masyarakat",
            "pelayanan bantuan hukum",
            "pengelolaan arsip daerah",
            "perencanaan anggaran berbasis kinerja",
            "pengadaan barang dan jasa",
            "pelayanan kepegawaian",
        ),
        (
            "lambatnya tindak lanjut pengaduan",
            "rendahnya akuntabilitas kinerja",
            "arsip yang rusak dan hilang",
            "proses pengadaan yang tidak transparan",
            "rendahnya indeks kepuasan masyarakat",
        ),
        ("aparatur sipil negara", "masyarakat pelapor", "perangkat daerah", "penyedia barang dan jasa"),
        ("kantor bupati", "sekretariat daerah", "inspektorat", "kantor wali kota"),
        ("Sekretariat Daerah", "Inspektorat Daerah", "Badan Kepegawaian Daerah"),
    ),
)

SECTIONS: tuple[tuple[str, str, int], ...] = (
    # (key, heading, maximum words) of the Umum form.
    ("ringkasan", "Ringkasan", 200),
    ("ide_inovatif", "Ide Inovatif", 600),
    ("signifikansi", "Signifikansi", 600),
    ("kontribusi_tpb", "Kontribusi terhadap TPB/SDGs", 200),
    ("adaptabilitas", "Adaptabilitas", 400),
    ("keberlanjutan", "Keberlanjutan", 600),
    ("kolaborasi", "Kolaborasi Pemangku Kepentingan", 200),
)

_TITLE_HEADS = (
    "Layanan",
    "Gerakan",
    "Program",
    "Sistem Informasi",
    "Aplikasi",
    "Pelayanan",
    "Klinik",
    "Gerai",
    "Sekolah",
    "Pojok",
    "Rumah",
    "Kampung",
    "Desa",
    "Jemput Bola",
)
_TITLE_TAILS = (
    "Keliling",
    "Terpadu",
    "Digital",
    "Berbasis Desa",
    "Satu Hari",
    "Tanpa Antre",
    "Ramah Disabilitas",
    "Terintegrasi",
    "Mandiri",
    "Berbasis Masyarakat",
    "Dalam Genggaman",
    "Cepat",
)
_ACRONYM_HEADS = ("Si", "Sang", "Gema", "Teman", "Sapa", "Gerai", "Mas", "Bunda", "Ayo", "Pak")
_SYLLABLES = (
    "ak",
    "rab",
    "se",
    "hat",
    "ca",
    "pin",
    "tar",
    "du",
    "ta",
    "ber",
    "sih",
    "ma",
    "nis",
    "bu",
    "mil",
    "le",
    "ga",
    "ri",
    "ku",
    "tan",
    "do",
    "sa",
    "ya",
    "jo",
    "ngo",
    "pe",
    "dul",
    "ni",
    "ra",
    "gam",
    "ci",
    "lok",
    "wa",
    "mar",
    "ten",
    "si",
    "bo",
    "kar",
    "lu",
    "dan",
    "pa",
    "ser",
    "mo",
    "yu",
    "ke",
    "tu",
    "ling",
    "han",
    "ju",
    "pon",
    "wi",
    "ro",
    "bang",
    "me",
    "sun",
    "ti",
    "go",
    "las",
    "nu",
    "dek",
)
_VERBS = (
    "meningkatkan",
    "mempercepat",
    "mempermudah",
    "mendekatkan",
    "memperluas",
    "menyederhanakan",
    "memperkuat",
    "mengoptimalkan",
    "memangkas waktu",
    "menjamin kepastian",
)
_RESULTS = (
    "waktu pelayanan",
    "cakupan layanan",
    "jumlah penerima manfaat",
    "indeks kepuasan masyarakat",
    "jumlah pengaduan yang ditindaklanjuti",
    "jumlah dokumen yang diterbitkan",
    "angka partisipasi",
)
_TOOLS = (
    "aplikasi berbasis Android",
    "layanan pesan WhatsApp",
    "mobil layanan keliling",
    "kanal daring",
    "formulir elektronik",
    "dasbor pemantauan",
    "petugas jemput bola",
    "kode QR",
    "SMS gateway",
    "sistem antrean daring",
    "tanda tangan elektronik",
    "kios layanan mandiri",
)
_STAKEHOLDERS = (
    "perguruan tinggi",
    "Baznas",
    "perbankan daerah",
    "tokoh agama",
    "karang taruna",
    "PKK",
    "organisasi perangkat daerah",
    "dunia usaha melalui program CSR",
    "media lokal",
    "TNI dan Polri",
    "lembaga swadaya masyarakat",
    "pemerintah desa",
    "kantor kementerian agama",
    "BPJS Kesehatan",
)
_REGULATIONS = (
    "Peraturan Bupati",
    "Keputusan Kepala Dinas",
    "Peraturan Daerah",
    "Surat Edaran Sekretaris Daerah",
    "Peraturan Wali Kota",
    "Keputusan Bupati",
    "Standar Operasional Prosedur",
)
_SDGS = (
    "Tujuan 1 tanpa kemiskinan",
    "Tujuan 3 kehidupan sehat dan sejahtera",
    "Tujuan 4 pendidikan berkualitas",
    "Tujuan 5 kesetaraan gender",
    "Tujuan 6 air bersih dan sanitasi layak",
    "Tujuan 8 pekerjaan layak",
    "Tujuan 10 berkurangnya kesenjangan",
    "Tujuan 16 perdamaian, keadilan dan kelembagaan yang tangguh",
    "Tujuan 2 tanpa kelaparan",
    "Tujuan 11 kota dan permukiman yang berkelanjutan",
)
_OPENERS = (
    "",
    "",
    "",
    "Selain itu, ",
    "Oleh karena itu, ",
    "Di sisi lain, ",
    "Sejak diluncurkan, ",
    "Dengan demikian, ",
    "Pada tahap awal, ",
    "Hasilnya, ",
    "Namun demikian, ",
    "Untuk itu, ",
)
# Optional phrases appended to some sentences, as authors qualify their claims.
_MODIFIERS = (
    "secara bertahap",
    "di tingkat kecamatan",
    "pada masa pandemi COVID-19",
    "sesuai standar pelayanan",
    "dengan anggaran terbatas",
    "tanpa tambahan pegawai",
    "di seluruh desa",
    "di wilayah perbatasan",
    "sejak awal tahun",
    "menurut data dinas",
    "secara berkelanjutan",
    "di daerah terpencil",
    "bagi kelompok rentan",
    "dengan pendampingan",
    "secara daring maupun luring",
    "setiap hari kerja",
    "pada jam pelayanan",
    "di kawasan perkotaan",
    "di kawasan pesisir",
    "menurut hasil evaluasi",
    "berdasarkan survei internal",
    "dengan melibatkan relawan",
    "secara gratis",
    "dengan sistem jemput bola",
)
# Authors word the same idea differently: each sentence swaps some words for synonyms.
_SYNONYMS: dict[str, tuple[str, ...]] = {
    "petugas": ("petugas", "pegawai", "personel", "staf", "tim"),
    "menunjukkan": ("menunjukkan", "memperlihatkan", "mengindikasikan"),
    "meningkat": ("meningkat", "naik", "bertambah", "melonjak"),
    "menurun": ("menurun", "turun", "berkurang", "menyusut"),
    "hadir": ("hadir", "dibuat", "dirancang", "diciptakan", "dikembangkan"),
    "melalui": ("melalui", "lewat", "dengan memanfaatkan", "menggunakan"),
    "datang": ("datang", "pergi", "berkunjung", "mendatangi kantor"),
    "menunggu": ("menunggu", "mengantre", "menanti"),
    "mudah": ("mudah", "gampang", "praktis"),
    "sederhana": ("sederhana", "ringkas", "praktis", "efisien"),
    "masyarakat": ("masyarakat", "warga", "publik", "khalayak"),
    "utama": ("utama", "pokok", "mendasar", "terbesar"),
    "permasalahan": ("permasalahan", "persoalan", "masalah", "tantangan"),
    "data": ("data", "catatan", "statistik", "rekapitulasi"),
    "mencatat": ("mencatat", "menemukan", "merekam", "mendapati"),
    "sebanyak": ("sebanyak", "sejumlah", "tidak kurang dari", "kurang lebih"),
    "kini": ("kini", "sekarang", "saat ini", "dewasa ini"),
    "rutin": ("rutin", "berkala", "teratur", "periodik"),
    "dukungan": ("dukungan", "bantuan", "sokongan", "fasilitasi"),
    "daerah": ("daerah", "wilayah", "kabupaten", "pemerintah daerah"),
    "biaya": ("biaya", "ongkos", "pengeluaran", "beban biaya"),
    "anggaran": ("anggaran", "dana", "pembiayaan", "alokasi dana"),
    "kerja": ("kerja", "kolaborasi", "kemitraan"),
    "melibatkan": ("melibatkan", "mengajak", "menggandeng", "merangkul"),
    "layanan": ("layanan", "pelayanan", "jasa layanan"),
    "inovasi": ("inovasi", "terobosan", "gagasan baru", "program"),
    "terhubung": ("terhubung", "tersambung", "terintegrasi", "terkoneksi"),
    "khusus": ("khusus", "tersendiri", "prioritas", "istimewa"),
    "langsung": ("langsung", "secara tatap muka", "di lapangan", "seketika"),
    "tercatat": ("tercatat", "terdata", "terekam", "terhitung"),
    "persen": ("persen", "persen", "%"),
    "tahun": ("tahun", "tahun", "periode"),
}
_MONTHS = (
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
)

# Sentence templates per kind. Slots are filled independently per sentence.
_TEMPLATES: dict[str, tuple[str, ...]] = {
    "problem": (
        "Keluhan yang paling sering disampaikan {benef} adalah {problem} di {place}.",
        "Hasil musyawarah dengan {stake} pada tahun {year} menyimpulkan bahwa {problem} harus segera diatasi.",
        "Di beberapa kecamatan, {benef} menempuh perjalanan {n2} kilometer untuk menjangkau {place}.",
        "Pencatatan {service} masih dilakukan secara manual sehingga rawan kesalahan dan {problem}.",
        "Tercatat {n1} berkas {service} menumpuk di {place} pada akhir tahun {year}.",
        "Kepala {place} menyampaikan bahwa {problem} sudah berlangsung lebih dari {n2} tahun.",
        "Permasalahan utama di {region} adalah {problem} yang dirasakan oleh {benef}.",
        "Data tahun {year} menunjukkan {n1} {benef} belum terlayani karena {problem}.",
        "Sebelum inovasi ini, {benef} harus datang ke {place} dan menunggu hingga {n2} hari untuk {service}.",
        "Kondisi geografis {region} yang luas membuat {problem} semakin berat bagi {benef}.",
        "Survei {agency} pada bulan {month} {year} mencatat hanya {pct1} persen {benef} yang puas terhadap {service}.",
        "{problem} berdampak langsung pada {result} dan kepercayaan {benef} kepada pemerintah.",
        "Rata-rata biaya yang dikeluarkan {benef} untuk {service} mencapai Rp{money} per kunjungan.",
        "Masalah ini diperparah oleh {problem2} sehingga {benef2} sering kali tidak mendapatkan {service}.",
    ),
    "solution": (
        "Pendaftaran {service} kini dapat dilakukan dari rumah dengan {tool} dalam waktu {n2} menit.",
        "Petugas {agency} dibekali {tool} untuk mencatat data {benef} secara langsung.",
        "Konsep {acr} lahir dari gagasan kepala {place} setelah melihat {problem}.",
        "{acr} menyediakan jalur khusus bagi {benef} yang kesulitan mengakses {place}.",
        "Data {benef} yang terkumpul melalui {tool} dipadukan dengan data {stake} untuk perencanaan {service}.",
        "Layanan diberikan tanpa biaya dan dapat dipantau melalui {tool}.",
        "{acr} hadir untuk {verb} {service} bagi {benef} di {region}.",
        "Melalui {tool}, {benef} dapat mengajukan {service} tanpa harus datang ke {place}.",
        "{agency} membentuk tim {n3} orang petugas yang melayani {benef} secara langsung di {place}.",
        "Inovasi {acr} memadukan {tool} dengan {tool2} sehingga proses {service} menjadi lebih sederhana.",
        "Kebaruan {acr} terletak pada penggunaan {tool} yang terhubung dengan {place}.",
        "Setiap {day} petugas mendatangi {place} untuk {verb} {service} kepada {benef}.",
        "Alur pelayanan dipangkas dari {n3} tahapan menjadi {n4} tahapan dengan memanfaatkan {tool}.",
        "{benef} cukup menunjukkan kode QR atau nomor induk kependudukan untuk memperoleh {service}.",
    ),
    "result": (
        "Sebanyak {n3} {place} kini menerapkan {acr} dengan dukungan {stake}.",
        "Angka {result} di {region} naik {pct1} persen dalam {n2} bulan pertama.",
        "Survei kepuasan pada {month} {year2} menunjukkan {pct2} persen {benef} merasa terbantu oleh {acr}.",
        "Kerugian akibat {problem} berkurang hingga Rp{money} per tahun.",
        "Kunjungan {benef} ke {place} bertambah dari {n1} menjadi {n5} orang per tahun.",
        "Sejak {year}, {result} meningkat dari {pct1} persen menjadi {pct2} persen.",
        "Hingga {month} {year2}, sebanyak {n1} {benef} telah menerima manfaat {acr}.",
        "Waktu penyelesaian {service} turun dari {n2} hari menjadi {n4} hari.",
        "Indeks kepuasan masyarakat terhadap {service} di {region} mencapai {pct2} persen pada tahun {year2}.",
        "{acr} menghemat biaya {benef} rata-rata Rp{money} per layanan.",
        "Jumlah pengaduan terkait {service} menurun {pct1} persen dibandingkan tahun sebelumnya.",
        "Capaian ini mendapat apresiasi dari {stake} dan menjadi bahan pembelajaran bagi {place} lain.",
    ),
    "sdg": (
        "Target {sdg} di {region} lebih cepat tercapai berkat {acr}.",
        "Kontribusi terhadap {sdg} terlihat dari {result} yang naik menjadi {pct2} persen.",
        "{acr} memastikan tidak ada {benef} yang tertinggal sesuai prinsip {sdg}.",
        "{acr} berkontribusi pada {sdg} melalui {verb} {service}.",
        "Inovasi ini mendukung pencapaian {sdg} khususnya bagi {benef} di {region}.",
        "Indikator {sdg} yang didukung adalah meningkatnya {result} sebesar {pct1} persen.",
        "Dengan {verb} {service}, {acr} turut mendukung {sdg} dan {sdg2}.",
    ),
    "adapt": (
        "Unsur utama {acr} yang dapat ditiru adalah {tool} dan pola kerja sama dengan {stake}.",
        "{acr} telah dipaparkan dalam forum replikasi inovasi di {region} pada {month} {year2}.",
        "Daerah yang ingin menerapkan {acr} cukup menyiapkan {n3} petugas dan {tool}.",
        "{acr} telah direplikasi oleh {n3} {place} lain di {region} dan oleh kabupaten tetangga.",
        "Model {acr} mudah diadaptasi karena hanya membutuhkan {tool} dan petugas terlatih.",
        "Pada tahun {year2}, tim dari {n3} daerah melakukan kaji tiru ke {region} untuk mempelajari {acr}.",
        "Biaya awal penerapan {acr} relatif rendah, yaitu sekitar Rp{money}, sehingga dapat diterapkan di daerah lain.",
        "Panduan teknis {acr} telah dibagikan kepada {stake} agar dapat diterapkan pada {service}.",
    ),
    "sustain": (
        "Sumber daya manusia {acr} diperkuat dengan pelatihan rutin bagi {n3} petugas {place}.",
        "{acr} telah tercantum dalam rencana strategis {agency} tahun {year2} sampai {year3}.",
        "Pemeliharaan {tool} dibiayai dari anggaran rutin sebesar Rp{money}.",
        "Dukungan {stake} menjamin {acr} tetap berjalan ketika terjadi pergantian pimpinan.",
        "Keberlanjutan {acr} dijamin melalui {reg} Nomor {n4} Tahun {year} tentang {service}.",
        "Anggaran {acr} telah masuk dalam dokumen perencanaan {agency} sebesar Rp{money} per tahun.",
        "{agency} menetapkan {acr} sebagai standar pelayanan dan melatih {n3} petugas setiap tahun.",
        "Strategi kelembagaan dilakukan dengan menunjuk penanggung jawab {acr} di setiap {place}.",
        "Secara sosial, {benef} dilibatkan sebagai duta {acr} sehingga inovasi ini diterima masyarakat.",
        "Evaluasi {acr} dilakukan setiap {period} bersama {stake} untuk menjaga mutu {service}.",
    ),
    "collab": (
        "Forum bersama {stake} dan {stake2} diadakan setiap {period} untuk membahas {service}.",
        "{stake} membantu pendanaan {acr} sebesar Rp{money} pada tahun {year2}.",
        "Keterlibatan {benef} dalam perencanaan {acr} membuat layanan lebih sesuai kebutuhan.",
        "{acr} melibatkan {stake} dalam {verb} {service}.",
        "{stake} berperan menyediakan {tool} sedangkan {agency} menyiapkan petugas.",
        "Kerja sama dengan {stake} dituangkan dalam nota kesepahaman yang ditandatangani pada {month} {year}.",
        "Peran {stake2} adalah menyosialisasikan {acr} kepada {benef} di {place}.",
    ),
}
_SECTION_KINDS: dict[str, tuple[str, ...]] = {
    "ringkasan": ("problem", "solution", "result"),
    "ide_inovatif": ("solution", "solution", "problem"),
    "signifikansi": ("problem", "result", "result"),
    "kontribusi_tpb": ("sdg", "result"),
    "adaptabilitas": ("adapt", "solution"),
    "keberlanjutan": ("sustain", "sustain", "result"),
    "kolaborasi": ("collab", "solution"),
}


@dataclass(frozen=True)
class Innovation:
    """What a generated text is about: its topic, names and place."""

    title: str
    acronym: str
    service: str
    topic: Topic
    region: str
    agency: str


def make_innovation(
    rng: random.Random, region: str, agency: str | None = None, topic: Topic | None = None
) -> Innovation:
    """Draw a new innovation for ``region`` (e.g. "Kabupaten Sleman").

    Inputs: a seeded ``rng``, the region name, optionally the agency name and topic (both
    drawn when omitted). Output: an ``Innovation`` whose title reads like
    "Layanan Penerbitan Akta Kelahiran Keliling (Si Akrab) Kabupaten Sleman".
    """
    topic = topic or rng.choice(TOPICS)
    agency = agency or f"{rng.choice(topic.agencies)} {region}"
    syllables = "".join(rng.choice(_SYLLABLES) for _ in range(3))
    acronym = f"{rng.choice(_ACRONYM_HEADS)} {syllables.capitalize()}"
    service = rng.choice(topic.services)
    title = f"{rng.choice(_TITLE_HEADS)} {service.title()} {rng.choice(_TITLE_TAILS)} ({acronym}) {region}"
    return Innovation(title=title, acronym=acronym, service=service, topic=topic, region=region, agency=agency)


_PICKERS: dict[str, Callable[[random.Random, Innovation], str]] = {
    # Most sentences speak of the innovation's own service, as a real proposal does.
    "service": lambda rng, inn: inn.service if rng.random() < 0.6 else rng.choice(inn.topic.services),
    "problem": lambda rng, inn: rng.choice(inn.topic.problems),
    "benef": lambda rng, inn: rng.choice(inn.topic.beneficiaries),
    "place": lambda rng, inn: rng.choice(inn.topic.places),
    "tool": lambda rng, inn: rng.choice(_TOOLS),
    "stake": lambda rng, inn: rng.choice(_STAKEHOLDERS),
    "sdg": lambda rng, inn: rng.choice(_SDGS),
    "verb": lambda rng, inn: rng.choice(_VERBS),
    "result": lambda rng, inn: rng.choice(_RESULTS),
    "reg": lambda rng, inn: rng.choice(_REGULATIONS),
    "month": lambda rng, inn: rng.choice(_MONTHS),
    "day": lambda rng, inn: rng.choice(("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "pekan", "bulan")),
    "period": lambda rng, inn: rng.choice(("bulan", "triwulan", "semester", "tahun")),
    "year": lambda rng, inn: str(rng.randint(2015, 2021)),
    "year2": lambda rng, inn: str(rng.randint(2022, 2024)),
    "year3": lambda rng, inn: str(rng.randint(2025, 2029)),
    "n1": lambda rng, inn: str(rng.randint(120, 25_000)),
    "n5": lambda rng, inn: str(rng.randint(25_001, 90_000)),
    "n": lambda rng, inn: str(rng.randint(2, 40)),
    "pct1": lambda rng, inn: str(rng.randint(20, 65)),
    "pct2": lambda rng, inn: str(rng.randint(66, 99)),
    "money": lambda rng, inn: f"{rng.randint(5, 900) * 1000:,}".replace(",", "."),
    "region": lambda rng, inn: inn.region,
    "agency": lambda rng, inn: inn.agency,
    "acr": lambda rng, inn: inn.acronym,
}


def _picker(field: str) -> Callable[[random.Random, Innovation], str]:
    # "problem2" is a second, independent draw of "problem"; "n2".."n4" are small counts.
    return _PICKERS.get(field) or _PICKERS[field.rstrip("0123456789")]


_FIELDS: dict[str, list[tuple[str, Callable[[random.Random, Innovation], str]]]] = {
    template: [(field, _picker(field)) for _, field, _, _ in string.Formatter().parse(template) if field]
    for templates in _TEMPLATES.values()
    for template in templates
}


def sentence(rng: random.Random, kind: str, innovation: Innovation) -> str:
    """Return one sentence of ``kind`` (problem, solution, result, sdg, adapt, sustain, collab).

    Inputs: a seeded ``rng``, the sentence kind, the innovation it describes. Output: a
    capitalised Indonesian sentence ending with a full stop.
    """
    template = rng.choice(_TEMPLATES[kind])
    values = {field: pick(rng, innovation) for field, pick in _FIELDS[template]}
    words = template.split(" ")
    for position, word in enumerate(words):
        if word in _SYNONYMS and rng.random() < 0.7:
            words[position] = rng.choice(_SYNONYMS[word])
    text = " ".join(words).format_map(values)
    if rng.random() < 0.4:
        text = text[:-1] + " " + rng.choice(_MODIFIERS) + "."
    opener = rng.choice(_OPENERS)
    if opener and template[0] != "{":
        # The template starts with an ordinary word, which now follows the opener.
        text = text[0].lower() + text[1:]
    text = opener + text
    return text[0].upper() + text[1:]


def paragraph(rng: random.Random, kinds: tuple[str, ...], innovation: Innovation, words: int) -> str:
    """Return sentences drawn from ``kinds`` until the paragraph holds about ``words`` words.

    Output: at least one sentence; stops at the first sentence that reaches ``words``.
    """
    sentences: list[str] = []
    count = 0
    while not sentences or count < words:
        text = sentence(rng, rng.choice(kinds), innovation)
        sentences.append(text)
        count += text.count(" ") + 1
    return " ".join(sentences)


def proposal_sections(rng: random.Random, innovation: Innovation, fill: float = 0.9) -> dict[str, str]:
    """Return the seven *Umum* sections of a proposal about ``innovation``.

    Inputs: a seeded ``rng``, the innovation, ``fill`` (the share of each section's word
    limit to use, about ``fill`` +- 10 %). Output: ``{section key: text}`` in form order,
    about 2,500 words in all at the default fill.
    """
    return {
        key: paragraph(rng, _SECTION_KINDS[key], innovation, int(limit * fill * rng.uniform(0.85, 1.0)))
        for key, _, limit in SECTIONS
    }


def registry_description(rng: random.Random, innovation: Innovation, words: int) -> str:
    """Return a registry (catalogue) description of about ``words`` words: problem, solution, results."""
    per_part = max(words // 3, 1)
    return "\n\n".join(paragraph(rng, (kind,), innovation, per_part) for kind in ("problem", "solution", "result"))
