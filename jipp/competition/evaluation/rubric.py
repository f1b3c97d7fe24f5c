"""Guidance for evaluators on the rubric criteria of the 2021 guide (keyed by form section), in Indonesian."""

GUIDANCE = {
    "ringkasan": "Apakah ringkasan menjelaskan masalah, gagasan, hasil dan dampak secara padu? "
    "1-3: tidak jelas; 4-6: sebagian; 7-8: jelas; 9-10: jelas, ringkas dan meyakinkan.",
    "ide_inovatif": "Kebaruan dan kreativitas gagasan dibandingkan cara lama dan praktik di daerah lain. "
    "1-3: meniru tanpa perubahan; 4-6: perbaikan kecil; 7-8: gagasan baru yang relevan; 9-10: terobosan.",
    "signifikansi": "Besarnya masalah yang diatasi dan perubahan yang terbukti (data sebelum-sesudah, "
    "penerima manfaat). Nilai tinggi hanya dengan bukti terukur.",
    "kontribusi_tpb": "Keterkaitan nyata dengan tujuan dan target TPB/SDGs yang dipilih, bukan sekadar disebut.",
    "adaptabilitas": "Apakah inovasi sudah atau mudah direplikasi/diadaptasi oleh unit atau daerah lain? "
    "Bukti replikasi memberi nilai tinggi.",
    "keberlanjutan": "Dukungan kelembagaan, anggaran, SDM dan dasar hukum yang menjamin inovasi tetap berjalan.",
    "kolaborasi": "Peran pemangku kepentingan (masyarakat, swasta, perguruan tinggi, instansi lain) "
    "dalam perancangan dan pelaksanaan.",
    "inspirasi": "Kejelasan inovasi Top 99 sumber yang direplikasi dan alasan pemilihannya.",
    "proses_replikasi": "Tahapan replikasi (persiapan, kesepakatan, adaptasi, pelaksanaan, evaluasi) dan buktinya.",
    "faktor_pembeda": "Apa yang diubah atau ditambahkan dibandingkan inovasi sumber, dan mengapa.",
    "pembaruan": "Pembaruan yang dilakukan sejak inovasi pertama kali dinilai atau diterapkan.",
    "penguatan_keberlanjutan": "Strategi kelembagaan, sosial dan manajerial untuk memperkuat keberlanjutan.",
    "evaluasi": "Cara dan hasil evaluasi inovasi: indikator, data, dan tindak lanjutnya.",
}
