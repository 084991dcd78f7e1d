"""The import engine's dated parameters (values in jiuye/parameters/data/national.yaml, overridable
per jurisdiction in a deployment's JIUYE_PARAMETERS_DIR).

Rows that hit an existing record outside the importer's scope (an identity number, 户编号 or credit
code registered elsewhere) are rejected with nothing but that fact; these limits bound how many such
hits an account may collect, so that an import cannot be used to locate people by trying numbers.
"""
from jiuye.parameters import Parameter, declare

PER_FILE = "imports.out_of_scope.per_file"
PER_DAY = "imports.out_of_scope.per_day"

declare(
    Parameter(PER_FILE, "int", "单个导入文件中不在管辖范围内的记录上限", unit="条", minimum=0,
              description="超过即停止该文件的导入（已写入的行保留），并在审计日志中标记供审计员核查。"),
    Parameter(PER_DAY, "int", "每个账号24小时内不在管辖范围内的记录上限", unit="条", minimum=0,
              description="达到后该账号暂停导入（至24小时窗口内的累计回落到上限以下），并在审计日志中标记。"),
    owner="imports",
)
