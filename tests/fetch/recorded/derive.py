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


def dump_rows(path: Path, rows: list[dict]) -> None:
    """A JSON list with one compact entry per line (small, and diffs stay readable)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = ",\n".join(json.dumps(r, ensure_ascii=False, separators=(",", ":")) for r in rows)
    path.write_text(f"[\n{lines}\n]\n", encoding="utf-8")


def sotkanet() -> None:
    wrapped = json.loads(
        (IND / "sotkanet_rest11_indicator_metadata_7_indicators_hus-sotkanet.json").read_text()
    )
    # The indicator list: Sotkanet's REAL /indicators answer of October 2015 (oskari-server), its
    # entries of the catalogue (data/sotkanet/sotkanet_catalogue_metadata.csv) and of 186 and 322,
    # verbatim; the other five recorded indicators are newer than 2015 and keep the entries made
    # from their real /indicators/{id} answers.
    real_list = {
        e["id"]: e
        for e in json.loads(
            (IND / "sotkanet_rest11_indicators_list_2015-10_oskari.json").read_text()
        )
    }
    with (HERE.parents[2] / "data" / "sotkanet" / "sotkanet_catalogue_metadata.csv").open() as fh:
        wanted = {int(row["indicator_id"]) for row in csv.DictReader(fh)}
    listing = []
    for key, doc in sorted(wrapped["indicators"].items(), key=lambda kv: int(kv[0])):
        dump(HERE / "sotkanet" / "indicators" / f"{key}.json", doc)
        if int(key) not in real_list:
            listing.append({k: doc[k] for k in ("id", "title", "organization")})
    listing += [real_list[i] for i in sorted(wanted | {186, 322})]
    dump(HERE / "sotkanet" / "indicators.json", sorted(listing, key=lambda e: e["id"]))

    names = {}
    with (RAW / "regions" / "kunta_hyvinvointialue_yhteistyoalue_2025.csv").open() as fh:
        for row in csv.DictReader(fh):
            names[int(row["hyvinvointialue_code"])] = {
                "fi": row["hyvinvointialue_fi"],
                "sv": row["hyvinvointialue_sv"],
                "en": row["hyvinvointialue_en"],
            }
    # The regions: Sotkanet's REAL /regions answer of October 2015 (oskari-server: municipalities
    # of 2015 with their real Sotkanet ids, MAAKUNTA, MAA 658 …), every entry verbatim, plus the
    # 23 wellbeing services counties (category HYVINVOINTIALUE, which came in 2023) with their
    # real Sotkanet ids from the rOpenGov crosswalk and real names, at the code width
    # rOpenGov/sotkanet's get_sotkanet() checks (2 characters).
    regions = json.loads((IND / "sotkanet_rest11_regions_2015-10_oskari.json").read_text())
    with (IND / "sotkanet_hyvinvointialueet_region_ids_ropengov.csv").open() as fh:
        for row in csv.DictReader(fh):
            code = int(row["uusi_code"])
            regions.append(
                {
                    "id": int(row["uusi_id"]),
                    "title": names[code],
                    "code": f"{code:02d}",
                    "category": "HYVINVOINTIALUE",
                }
            )
    dump(HERE / "sotkanet" / "regions.json", sorted(regions, key=lambda r: r["id"]))
    kunta_id = {int(r["code"]): r["id"] for r in regions if r["category"] == "KUNTA"}

    # Indicator 127 (population 31.12.), 2020-2022: REAL values from the geofi conversion of
    # sotkanet::GetDataSotkanet(127), re-shaped as /json rows with the real municipal ids.
    pop = []
    with (RAW / "population" / "geofi_sotkanet_ind127_population_municipality_2000_2022.csv").open(
        encoding="utf-8"
    ) as fh:
        for row in csv.DictReader(fh):
            if int(row["year"]) >= 2020:
                pop.append(
                    {
                        "indicator": 127,
                        "region": kunta_id[int(row["municipality_code"])],
                        "year": int(row["year"]),
                        "gender": "total",
                        "value": int(row["primary_value"]),
                    }
                )
    dump(HERE / "sotkanet" / "json" / "127.json", pop)

    # Indicator 5 (social assistance recipients aged 25-64, %): the REAL rows rOpenGov/sotkanet's
    # tutorial printed from a live get_sotkanet() call (six counties, 2002-2010), as /json rows.
    printed = []
    with (IND / "sotkanet_data_rows_printed_ropengov_tutorial_fi_2024.csv").open() as fh:
        for row in csv.DictReader(fh):
            if row["indicator"] == "5":
                printed.append(
                    {
                        "indicator": 5,
                        "region": int(row["region"]),
                        "year": int(row["year"]),
                        "gender": row["gender"],
                        "value": float(row["primary.value"]),
                        "absValue": int(row["absolute.value"]),
                    }
                )
    dump_rows(HERE / "sotkanet" / "json" / "5.json", printed)

    # Data rows: FORMAT SAMPLE. Region ids are the real county ids above; the values are
    # deliberately artificial (1000 + a running number), never real figures.
    rows = []
    n = 0
    counties = [r for r in regions if r["category"] == "HYVINVOINTIALUE"]
    for region in sorted(counties, key=lambda r: r["id"])[:5]:
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


#: Classification → (code column, {lang: name column}) in data-raw's region key.
CLASSIFICATION_COLUMNS = {
    "kunta": ("kuntanumero", {"fi": "kunta_fi", "sv": "kunta_sv"}),
    "hyvinvointialue": (
        "hyvinvointialue_code",
        {lang: f"hyvinvointialue_{lang}" for lang in ("fi", "sv", "en")},
    ),
    "yhteistyoalue": (
        "yhteistyoalue_code",
        {lang: f"yhteistyoalue_{lang}" for lang in ("fi", "sv", "en")},
    ),
    "maakunta": ("maakunta_code", {"fi": "maakunta_fi"}),
}


def _item(classification: str, code: str, order: int, lang: str, name: str) -> dict:
    """One ``classificationItems`` entry in the API's shape (format sample: see README.md)."""
    return {
        "localId": f"{classification}/{code}",
        "code": code,
        "level": 1,
        "order": order,
        "parentCode": None,
        "parentItemLocalId": None,
        "classificationItemNames": [{"lang": lang, "name": name}],
    }


def classifications() -> None:
    """Statistics Finland's classification API for 2024 and 2025, rebuilt from the real region
    keys in data-raw/regions (real codes and names): ``classificationItems`` per classification and
    language, and the correspondence tables kunta → county, cooperation area, region."""
    out = HERE / "classifications"
    if out.exists():
        shutil.rmtree(out)
    for year in (2024, 2025):
        with (RAW / "regions" / f"kunta_hyvinvointialue_yhteistyoalue_{year}.csv").open(
            encoding="utf-8"
        ) as fh:
            key = list(csv.DictReader(fh))
        ids = {name: f"{name}_1_{year}0101" for name in CLASSIFICATION_COLUMNS}
        for name, (code_col, name_cols) in CLASSIFICATION_COLUMNS.items():
            codes = sorted({row[code_col] for row in key}, key=lambda c: (len(c), c))
            for lang, col in name_cols.items():
                texts = {(row[code_col], row[col]) for row in key}
                assert len(texts) == len(codes), f"{name} {lang}: one name per code in data-raw"
                by_code = dict(texts)
                items = [_item(ids[name], c, n, lang, by_code[c]) for n, c in enumerate(codes, 1)]
                folder = out / "classifications" / ids[name]
                dump_rows(folder / f"classificationItems.{lang}.json", items)
            if name == "kunta":
                continue
            rows = []
            for row in key:
                # meta=min: the items carry only their code and names
                ends = (
                    ("kunta", row["kuntanumero"], row["kunta_fi"]),
                    (name, row[code_col], row[name_cols["fi"]]),
                )
                source, target = (
                    {"code": code, "classificationItemNames": [{"lang": "fi", "name": text}]}
                    for _, code, text in ends
                )
                rows.append(
                    {
                        "sourceLocalId": f"{ids['kunta']}/{row['kuntanumero']}",
                        "targetLocalId": f"{ids[name]}/{row[code_col]}",
                        "sourceItem": source,
                        "targetItem": target,
                    }
                )
            dump_rows(out / "correspondenceTables" / f"{ids['kunta']}#{ids[name]}.json", rows)


if __name__ == "__main__":
    (HERE / "statfin").mkdir(exist_ok=True)
    sotkanet()
    statfin()
    classifications()
