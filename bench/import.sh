#!/usr/bin/env bash
# Import speed: the seed plan, and a generated plan of N rows (default
# 10,000) in the seed's own format.  Targets: the seed in under 50 ms,
# 10,000 rows in under 1 s.  Prints median, min, max of RUNS runs each,
# after a warm-up import, each from a settled state (sync); the load average.
. "$(dirname "$0")/common.sh"
n=${N:-10000}
runs=${RUNS:-5}
bench_config
$ctl -c "$work/deadlined.ini" init >/dev/null
seed=$top/tests/fixtures/seed-tuyphuoc-2024.txt
# A generated plan: the seed's header, then N task rows in 9 sections.
{
	printf 'KẾ HOẠCH\nThử tải năm 2024\n\n'
	printf 'STT\tNội dung khắc phục/duy trì thực hiện\tNhiệm vụ, giải pháp thực hiện\tCơ quan thực hiện\tThời gian thực hiện\tGhi chú\n'
	times=("Hàng tháng" "Quý II/2024" "Hàng quý, 06 tháng, năm." "Thường xuyên" "trước ngày 15/12" "Theo quy định" "Ngày 30 tháng cuối cùng của quý" "Tháng 5/2024")
	units=("Phòng Nội vụ" "Văn phòng HĐND và UBND huyện" "Phòng Tư pháp" "UBND các xã, thị trấn" "Phòng Tài chính – Kế hoạch; Phòng Nội vụ")
	for s in I II III IV V VI VII VIII IX; do
		printf '%s\tPHẦN %s\t\t\t\t\n' "$s" "$s"
		printf '\tNội dung cần duy trì thực hiện\t\t\t\t\n'
		for i in $(seq $((n / 9 + 1))); do
			printf '%d\tNội dung %s.%d\t- Nhiệm vụ %d của phần %s.\t%s\t%s\t\n' \
			    "$i" "$s" "$i" "$i" "$s" "${units[i % 5]}" "${times[i % 8]}"
		done
	done
} > "$work/plan.full"
head -n $((n + 22)) "$work/plan.full" > "$work/plan.txt"
for what in seed generated; do
	file=$seed; [ $what = generated ] && file=$work/plan.txt
	# A warm-up import, not counted.
	rm -f "$work/state/deadlined.db"*
	$ctl -c "$work/deadlined.ini" init >/dev/null
	$ctl -c "$work/deadlined.ini" --now 2024-06-17 import "$file" --plan bench >/dev/null
	: > "$work/secs"; : > "$work/rss"
	for r in $(seq "$runs"); do
		rm -f "$work/state/deadlined.db"*
		$ctl -c "$work/deadlined.ini" init >/dev/null
		read -r secs rss < <(bench_time $ctl -c "$work/deadlined.ini" --now 2024-06-17 import "$file" --plan bench)
		echo "$secs" >> "$work/secs"; echo "$rss" >> "$work/rss"
	done
	rows=$($ctl -c "$work/deadlined.ini" --now 2024-06-17 import "$file" --plan bench --dry-run --format json | sed -n 's/.*"rows": \([0-9]*\).*/\1/p')
	echo "import $what ($rows task rows), including materialization:"
	echo "  time (s):       $(bench_summary < "$work/secs")"
	echo "  peak RSS (KiB): $(bench_summary < "$work/rss")"
done
echo "load average (1, 5, 15 min): $(bench_load)"
