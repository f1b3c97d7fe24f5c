from django.db import migrations

CATEGORIES_2021 = [
    ("poverty-reduction", "Penanggulangan kemiskinan", "Poverty reduction"),
    ("education", "Pendidikan", "Education"),
    ("health", "Kesehatan", "Health"),
    ("food-security", "Ketahanan pangan", "Food security"),
    ("economic-growth", "Pertumbuhan ekonomi dan lapangan kerja", "Economic growth and jobs"),
    ("community-empowerment", "Pemberdayaan masyarakat", "Community empowerment"),
    ("gender-responsive", "Pelayanan publik responsif gender", "Gender-responsive public service"),
    ("environment", "Lingkungan hidup", "Environment"),
    ("governance", "Tata kelola pemerintahan", "Governance"),
    ("law-enforcement", "Penegakan hukum", "Law enforcement"),
]

SDGS = [
    ("Tanpa Kemiskinan", "No Poverty"),
    ("Tanpa Kelaparan", "Zero Hunger"),
    ("Kehidupan Sehat dan Sejahtera", "Good Health and Well-being"),
    ("Pendidikan Berkualitas", "Quality Education"),
    ("Kesetaraan Gender", "Gender Equality"),
    ("Air Bersih dan Sanitasi Layak", "Clean Water and Sanitation"),
    ("Energi Bersih dan Terjangkau", "Affordable and Clean Energy"),
    ("Pekerjaan Layak dan Pertumbuhan Ekonomi", "Decent Work and Economic Growth"),
    ("Industri, Inovasi dan Infrastruktur", "Industry, Innovation and Infrastructure"),
    ("Berkurangnya Kesenjangan", "Reduced Inequalities"),
    ("Kota dan Permukiman yang Berkelanjutan", "Sustainable Cities and Communities"),
    ("Konsumsi dan Produksi yang Bertanggung Jawab", "Responsible Consumption and Production"),
    ("Penanganan Perubahan Iklim", "Climate Action"),
    ("Ekosistem Lautan", "Life Below Water"),
    ("Ekosistem Daratan", "Life on Land"),
    ("Perdamaian, Keadilan dan Kelembagaan yang Tangguh", "Peace, Justice and Strong Institutions"),
    ("Kemitraan untuk Mencapai Tujuan", "Partnerships for the Goals"),
]


def forwards(apps, schema_editor):
    Category = apps.get_model("registry", "Category")
    Sdg = apps.get_model("registry", "Sdg")
    for bit, (code, name_id, name_en) in enumerate(CATEGORIES_2021):
        Category.objects.update_or_create(code=code, defaults={"bit": bit, "name_id": name_id, "name_en": name_en})
    for number, (name_id, name_en) in enumerate(SDGS, start=1):
        Sdg.objects.update_or_create(number=number, defaults={"name_id": name_id, "name_en": name_en})


class Migration(migrations.Migration):
    dependencies = [("registry", "0002_full_text_search")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
