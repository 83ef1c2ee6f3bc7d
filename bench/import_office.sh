#!/usr/bin/env bash
# Import of office documents: the seed plan as a .docx (made from its text
# by python-docx, tests/tools/office_plan.py) and a generated workbook of N
# rows (default 10,000; openpyxl) in the seed's columns, a units cell merged
# over two rows every tenth row.  Targets: the seed .docx in under 100 ms,
# 10,000 rows of .xlsx in under 2 s; peak RSS reported.  The seed's text is
# imported in the same run as the reference.  Prints median, min, max of
# RUNS runs, wall and CPU time.
. "$(dirname "$0")/common.sh"
n=${N:-10000}
runs=${RUNS:-5}
py=${PYTHON:-/usr/bin/python3}
bench_config
$ctl -c "$work/deadlined.ini" init >/dev/null
"$py" - "$top" "$work" "$n" <<'PY'
import os
import sys
top, work, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
sys.path.insert(0, os.path.join(top, "tests", "tools"))
import office_plan
import openpyxl

seed = os.path.join(top, "tests", "fixtures", "seed-tuyphuoc-2024.txt")
office_plan.write_docx(office_plan.Export(seed),
                       os.path.join(work, "seed.docx"))
times = ["Hàng tháng", "Quý II/2024", "Hàng quý, 06 tháng, năm.",
         "Thường xuyên", "trước ngày 15/12", "Theo quy định",
         "Ngày 30 tháng cuối cùng của quý", "Tháng 5/2024"]
units = ["Phòng Nội vụ", "Văn phòng HĐND và UBND huyện", "Phòng Tư pháp",
         "UBND các xã, thị trấn", "Phòng Tài chính – Kế hoạch; Phòng Nội vụ"]
wb = openpyxl.Workbook()
ws = wb.active
ws.title = "Kế hoạch"
ws.append(["Số: 99/KH-UBND", None, "Tuy Phước, ngày 05 tháng 01 năm 2024"])
ws.append(["KẾ HOẠCH"])
ws.append(["Thử tải năm 2024"])
ws.append([])
ws.append(["STT", "Nội dung khắc phục/duy trì thực hiện",
           "Nhiệm vụ, giải pháp thực hiện", "Cơ quan thực hiện",
           "Thời gian thực hiện", "Ghi chú"])
roman = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX"]
per, done, row = (n + 8) // 9, 0, 6
for s in range(9):
    ws.append([roman[s], "PHẦN %d" % (s + 1)])
    row += 1
    for i in range(1, per + 1):
        if done == n:
            break
        merged = i % 10 == 2 and i > 1
        ws.append([i, "Nội dung %d.%d" % (s + 1, i),
                   "- Nhiệm vụ %d của phần %d." % (i, s + 1),
                   None if merged else units[i % 5], times[i % 8]])
        if merged:
            ws.merge_cells("D%d:D%d" % (row - 1, row))
        row += 1
        done += 1
wb.save(os.path.join(work, "plan.xlsx"))
PY
cp "$top/tests/fixtures/seed-tuyphuoc-2024.txt" "$work/seed.txt"
# Wall time, and CPU time (user + system), which a loaded machine spares.
for what in seed.txt seed.docx plan.xlsx; do
	file=$work/$what
	: > "$work/secs"; : > "$work/cpu"; : > "$work/rss"
	for r in $(seq "$runs"); do
		rm -f "$work/state/deadlined.db"*
		$ctl -c "$work/deadlined.ini" init >/dev/null
		/usr/bin/time -f "%e %M %U %S" -o "$work/time.out" $ctl -c "$work/deadlined.ini" --now 2024-06-17 import "$file" --plan bench >/dev/null
		read -r secs rss user sys < "$work/time.out"
		echo "$secs" >> "$work/secs"; echo "$rss" >> "$work/rss"
		awk -v u="$user" -v s="$sys" 'BEGIN { print u + s }' >> "$work/cpu"
	done
	rows=$($ctl -c "$work/deadlined.ini" --now 2024-06-17 import "$file" --plan bench --dry-run --format json | sed -n 's/.*"rows": \([0-9]*\).*/\1/p')
	echo "import $what ($(du -k "$file" | cut -f1) KiB, $rows task rows), including materialization:"
	echo "  time (s):       $(bench_summary < "$work/secs")"
	echo "  cpu (s):        $(bench_summary < "$work/cpu")"
	echo "  peak RSS (KiB): $(bench_summary < "$work/rss")"
done
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
