#!/bin/bash
# config/units-province.ini, the example unit directory of a province after
# the reorganisation of 1 July 2025 (departments, communes and wards,
# coordinated by the Department of Home Affairs): check-config accepts it
# with coordinator = noivu, init and units sync load its 19 units and 3
# groups, every address is fictitious, and a province's plan written by
# hand here, in a province's words, is assigned to the units and groups
# the rows name (expected codes, roles and dates worked out by hand).
set -euo pipefail

: "${DEADLINECTL:?}" "${SRCDIR:?}"
units=$SRCDIR/config/units-province.ini
[ -f "$units" ] || { echo "FAIL: $units missing"; exit 1; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

# The shipped example configuration, pointed at the province's directory.
mkdir -p "$tmp/state"
sed -e "s|^state_dir = .*|state_dir = $tmp/state|" \
    -e "s|^units_file = .*|units_file = $units|" \
    -e "s|^coordinator =.*|coordinator = noivu|" \
    -e "s|^days_off_file =.*|days_off_file = $SRCDIR/config/days-off.ini|" \
    -e "s|^base_url = .*|base_url = https://nhachan.example.gov.vn|" \
    -e "s|^link_secret_file =.*|link_secret_file = $tmp/link.key|" \
    "$SRCDIR/config/deadlined.ini" >"$tmp/deadlined.ini"
head -c 32 /dev/urandom | base64 >"$tmp/link.key"
chmod 600 "$tmp/link.key"
ctl=("$DEADLINECTL" -c "$tmp/deadlined.ini")

# On a day of 2025, which the shipped days-off.ini decides with 2026.
out=$("${ctl[@]}" --now 2025-06-01 check-config 2>&1) ||
	fail "check-config: $out"
[ "$out" = "configuration OK" ] || fail "check-config said: $out"

out=$("${ctl[@]}" init 2>&1) || fail "init: $out"
grep -qx "units: 22 added, 0 changed, 0 retired, 0 unchanged" <<<"$out" ||
	fail "init: $out"
out=$("${ctl[@]}" units sync 2>&1) || fail "units sync: $out"
[ "$out" = "units: 0 added, 0 changed, 0 retired, 22 unchanged" ] ||
	fail "units sync: $out"

# --- the directory ------------------------------------------------------------

"${ctl[@]}" units --format csv >"$tmp/units.csv"
/usr/bin/python3 - "$tmp/units.csv" <<'PY' || fail "units"
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], encoding="utf-8")))
units = sorted(r["code"] for r in rows if r["type"] == "unit")
groups = {r["code"]: r for r in rows if r["type"] == "group"}
want_units = sorted("""noivu vpubnd hcc tuphap taichinh congthuong nnmt xaydung
    khcn gddt yte vhttdl dttg thanhtra tuyphuoc quynhontay nhonchau hra
    krong""".split())
assert units == want_units, units
assert sorted(groups) == ["capxa", "diaphuong", "soban"], sorted(groups)
members = lambda g: sorted(groups[g]["email_or_members"].split())
assert members("capxa") == sorted("tuyphuoc quynhontay nhonchau hra krong".split())
assert len(members("soban")) == 13 and "hcc" not in members("soban")
assert members("diaphuong") == want_units, members("diaphuong")
byname = {r["code"]: r for r in rows}
assert byname["noivu"]["name"] == "Sở Nội vụ"
assert byname["noivu"]["parent"] == ""
for r in rows:
    if r["type"] != "unit":
        continue
    for a in r["email_or_members"].split(","):
        assert a.strip().endswith("@example.gov.vn"), (r["code"], a)
    assert r["webhook"] == "" or ".invalid/" in r["webhook"], r["webhook"]
    assert r["code"] == "noivu" or r["parent"] in ("noivu", "vpubnd"), r
PY

# --- a province's plan, in its words -------------------------------------------

cat >"$tmp/plan.csv" <<'CSV'
STT,Nhiệm vụ,Cơ quan chủ trì,Thời gian
1,Tổng hợp báo cáo cải cách hành chính quý,Sở Nội vụ,Hàng quý
2,Rà soát thủ tục hành chính,"Các sở, ban, ngành",Quý III/2025
3,Số hóa hồ sơ một cửa,"UBND các xã, phường",Tháng 9/2025
4,Báo cáo chuyển đổi số,"Sở Khoa học và Công nghệ chủ trì; UBND các xã, phường phối hợp",trước ngày 15/12/2025
5,Kiểm tra công tác văn thư,"Văn phòng Ủy ban nhân dân tỉnh, Sở NN&MT và phường Quy Nhơn Tây",Quý IV/2025
6,Cập nhật dữ liệu dân cư,"UBND các xã, phường, đặc khu",Năm 2025
CSV
out=$("${ctl[@]}" --now 2025-07-15 import "$tmp/plan.csv" --plan kh-cchc-2025 2>&1) ||
	fail "import: $out"
grep -q "unparsed 0" <<<"$out" || fail "import: $out"
"${ctl[@]}" tasks --plan kh-cchc-2025 --format csv >"$tmp/tasks.csv"
/usr/bin/python3 - "$tmp/tasks.csv" <<'PY' || fail "the plan's assignments"
import csv, sys
rows = {r["ref"]: r for r in csv.DictReader(open(sys.argv[1], encoding="utf-8"))}
communes = "tuyphuoc quynhontay nhonchau hra krong".split()
departments = """vpubnd noivu tuphap taichinh congthuong nnmt xaydung khcn gddt
    yte vhttdl dttg thanhtra""".split()
def assigned(ref):
    return dict(p.split(":") for p in rows[ref]["units"].split())
def codes(ref):
    return sorted(assigned(ref))
want = {
    "1": ({"noivu": "lead"}, "recurring", ""),
    "2": ({c: "lead" for c in departments}, "once", "2025-09-30"),
    "3": ({c: "lead" for c in communes}, "once", "2025-09-30"),
    # "trước ngày 15/12": the day before.
    "4": (dict({"khcn": "lead"}, **{c: "support" for c in communes}),
          "once", "2025-12-14"),
    "6": ({c: "lead" for c in communes}, "once", "2025-12-31"),
}
assert sorted(rows) == ["1", "2", "3", "4", "5", "6"], sorted(rows)
for ref, (units, kind, due) in want.items():
    r = rows[ref]
    assert assigned(ref) == units, (ref, r["units"])
    assert (r["kind"], r["due"]) == (kind, due), (ref, r["kind"], r["due"])
    assert r["unmatched"] == "", (ref, r["unmatched"])
# Three units by their aliases; roles are the reader's business here.
assert codes("5") == ["nnmt", "quynhontay", "vpubnd"], rows["5"]["units"]
assert rows["5"]["due"] == "2025-12-31" and rows["5"]["unmatched"] == ""
PY
echo "PASS"
