"""Re-derives the recorded API responses in this folder from ../shared/data-raw (see README.md).

Run from the repository root: ``.venv/bin/python tests/fetch/recorded/derive.py``.
"""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

HERE = Path(__file__).resolve().parent
RAW = HERE.parents[3] / "shared" / "data-raw"
IND = RAW / "indicators"


def dump(path: Path, doc: object) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(doc, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def sotkanet() -> None:
    wrapped = json.loads(
        (IND / "sotkanet_rest11_indicator_metadata_7_indicators_hus-sotkanet.json").read_text()
    )
    listing = []
    for key, doc in sorted(wrapped["indicators"].items(), key=lambda kv: int(kv[0])):
        dump(HERE / "sotkanet" / "indicators" / f"{key}.json", doc)
        listing.append({k: doc[k] for k in ("id", "title", "organization")})
    dump(HERE / "sotkanet" / "indicators.json", listing)

    names = {}
    with (RAW / "regions" / "kunta_hyvinvointialue_yhteistyoalue_2025.csv").open() as fh:
        for row in csv.DictReader(fh):
            names[int(row["hyvinvointialue_code"])] = {
                "fi": row["hyvinvointialue_fi"],
                "sv": row["hyvinvointialue_sv"],
                "en": row["hyvinvointialue_en"],
            }
    regions = []
    with (IND / "sotkanet_hyvinvointialueet_region_ids_ropengov.csv").open() as fh:
        for row in csv.DictReader(fh):
            code = int(row["uusi_code"])
            regions.append(
                {
                    "id": int(row["uusi_id"]),
                    "title": names[code],
                    "code": str(code),
                    "category": "HYVINVOINTIALUE",
                }
            )
    # Municipalities: Sotkanet's real ids for them are not in data-raw, so STAND-IN ids
    # (100000 + municipality number) are used; code, category and names are real.
    kunta_names = {}
    with (RAW / "regions" / "kunta_hyvinvointialue_yhteistyoalue_2024.csv").open() as fh:
        for row in csv.DictReader(fh):
            kunta_names[int(row["kuntanumero"])] = {"fi": row["kunta_fi"], "sv": row["kunta_sv"]}
    for code, title in sorted(kunta_names.items()):
        regions.append(
            {"id": 100000 + code, "title": title, "code": str(code), "category": "KUNTA"}
        )
    dump(HERE / "sotkanet" / "regions.json", sorted(regions, key=lambda r: r["id"]))

    # Indicator 127 (population 31.12.), 2020-2022: REAL values from the geofi conversion of
    # sotkanet::GetDataSotkanet(127), re-shaped as /json rows with the stand-in municipality ids.
    pop = []
    with (RAW / "population" / "geofi_sotkanet_ind127_population_municipality_2000_2022.csv").open(
        encoding="utf-8"
    ) as fh:
        for row in csv.DictReader(fh):
            if int(row["year"]) >= 2020:
                pop.append(
                    {
                        "indicator": 127,
                        "region": 100000 + int(row["municipality_code"]),
                        "year": int(row["year"]),
                        "gender": "total",
                        "value": int(row["primary_value"]),
                    }
                )
    dump(HERE / "sotkanet" / "json" / "127.json", pop)

    # Data rows: FORMAT SAMPLE. Region ids are the real county ids above; the values are
    # deliberately artificial (1000 + a running number), never real figures.
    rows = []
    n = 0
    for region in sorted(regions, key=lambda r: r["id"])[:5]:
        for year in (2022, 2023, 2024):
            for gender in ("total", "male", "female"):
                n += 1
                rows.append(
                    {
                        "indicator": 186,
                        "region": region["id"],
                        "year": year,
                        "gender": gender,
                        "value": 1000.0 + n,
                        "absValue": 1000 + n,
                    }
                )
    dump(HERE / "sotkanet" / "json" / "186.json", rows)


def statfin() -> None:
    for table, name in (
        ("14ww", "statfin_14ww_tulonjako_pienituloisuus_perusturva_kunta_hva_2024.json"),
        ("12r5", "statfin_12r5_tyonvalitys_tyottomat_kunta_2026M06.json"),
    ):
        shutil.copyfile(IND / name, HERE / "statfin" / f"{table}.json")
        doc = json.loads((IND / name).read_text(encoding="utf-8"))
        variables = []
        for i, col in enumerate(c for c in doc["columns"] if c["type"] in ("d", "t")):
            values = list(dict.fromkeys(entry["key"][i] for entry in doc["data"]))
            var = {"code": col["code"], "text": col["text"], "values": values, "valueTexts": values}
            if col["type"] == "t":
                var["time"] = True
            variables.append(var)
        measures = [c for c in doc["columns"] if c["type"] == "c"]
        variables.append(
            {
                "code": "Tiedot",
                "text": "Tiedot",
                "values": [c["code"] for c in measures],
                "valueTexts": [c["text"] for c in measures],
            }
        )
        dump(
            HERE / "statfin" / f"{table}-metadata.json",
            {"title": doc["metadata"][0]["label"], "variables": variables},
        )
    src = RAW / "population" / "statfin_11s5_population_municipality_2024M12.jsonstat.json"
    shutil.copyfile(src, HERE / "statfin" / "11s5.json")
    doc = json.loads(src.read_text(encoding="utf-8"))
    variables = []
    for dim_id in doc["id"]:
        cat = doc["dimension"][dim_id]["category"]
        index = cat["index"]
        codes = sorted(index, key=index.get) if isinstance(index, dict) else list(index)
        var = {
            "code": dim_id,
            "text": doc["dimension"][dim_id]["label"],
            "values": codes,
            "valueTexts": [cat.get("label", {}).get(c, c) for c in codes],
        }
        if dim_id in doc.get("role", {}).get("time", []):
            var["time"] = True
        variables.append(var)
    dump(HERE / "statfin" / "11s5-metadata.json", {"title": doc["label"], "variables": variables})


if __name__ == "__main__":
    (HERE / "statfin").mkdir(exist_ok=True)
    sotkanet()
    statfin()
