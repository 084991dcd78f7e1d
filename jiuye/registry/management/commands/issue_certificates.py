from jiuye.cli import Command as JiuyeCommand
from jiuye.registry import certificates
from jiuye.registry.models import Certificate


class Command(JiuyeCommand):
    # The backfill of 就业创业证 for a registry kept before certificates were issued here: every person
    # with an employment or unemployment registration that counts and no current certificate gets one
    # (registry.certificates.issue_missing). An old ledger of certificates already issued is imported
    # first (`jiuye import certificates 台账.xlsx`), so that those persons keep their numbers.
    help = ("为已有就业或失业登记、但尚无有效就业创业证的人员补发证书编号（先用 jiuye import certificates 导入"
            "原有证书台账，已有证书的人员保留原编号）。")

    def handle(self, *args, **options):
        before = Certificate.objects.count()
        issued = certificates.issue_missing(
            progress=lambda done, total: self.stdout.write(f"  已处理 {done:,} / {total:,} 人"))
        self.stdout.write(f"已发放就业创业证 {issued:,} 本（原有 {before:,} 本）")
