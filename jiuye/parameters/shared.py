"""Parameters several apps read and no single app owns: social-insurance standards set by a city.

Declared here (the lowest floor that knows parameters) so assistance and policies can both use them.
"""
from jiuye.parameters.schema import Parameter, declare

declare(
    Parameter(
        "unemployment_insurance.benefit_monthly", "decimal", "失业保险金标准", unit="元/月", minimum=0,
        description="由市（地）人社部门公布；失业补助金等按其比例计发。",
    ),
    owner="parameters",
)
