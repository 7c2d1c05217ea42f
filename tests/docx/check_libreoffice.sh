#!/bin/sh
# Opens the sample 公文 that the docx unit test renders (FAZHI_DOCX_SAMPLE) in
# LibreOffice: converts it to PDF headless and checks the PDF is A4, non-empty,
# carries the Chinese title and body text and the "— N —" page numbers.
# Installs libreoffice-writer-nogui, fonts-noto-cjk and poppler-utils with
# apt-get only when soffice / pdftotext are missing. Prints TAP; exits non-zero
# on any failure. Run from the repository root.
# Env: FAZHI_BUILD (build dir: build, or build/san when SANITIZE is set, as in
# the Makefile), FAZHI_DOCX_OUT (where the sample and its PDF go, default
# $FAZHI_BUILD/docx-check).
set -u
if [ -n "${SANITIZE:-}" ]; then B=${FAZHI_BUILD:-build/san}; else B=${FAZHI_BUILD:-build}; fi
OUT=${FAZHI_DOCX_OUT:-$B/docx-check}
TITLE="法治政府建设情况报告"
n=0
failed=0

ok() {
	n=$((n + 1))
	echo "ok $n - $1"
}

not_ok() {
	n=$((n + 1))
	failed=$((failed + 1))
	echo "not ok $n - $1"
}

check() {
	desc=$1
	shift
	if "$@"; then ok "$desc"; else not_ok "$desc"; fi
}

echo "1..9"

# 1. tools
missing=""
command -v soffice >/dev/null 2>&1 || missing="$missing libreoffice-writer-nogui fonts-noto-cjk"
command -v pdftotext >/dev/null 2>&1 || missing="$missing poppler-utils"
if [ -n "$missing" ]; then
	echo "# installing:$missing"
	if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=""; fi
	export DEBIAN_FRONTEND=noninteractive
	# shellcheck disable=SC2086
	{ $SUDO apt-get update -qq && $SUDO apt-get install -y -qq --no-install-recommends $missing; } >&2
fi
if command -v soffice >/dev/null 2>&1 && command -v pdftotext >/dev/null 2>&1; then
	ok "soffice and pdftotext available"
else
	not_ok "soffice and pdftotext available"
	echo "# cannot go on without LibreOffice and poppler-utils"
	exit 1
fi

# 2. the sample, from the unit test
mkdir -p "$OUT"
rm -f "$OUT/sample.docx" "$OUT/sample.pdf" "$OUT/sample.txt" "$OUT/unit.log"
if ! make --no-print-directory "$B/tests/unit/report/test_docx" >"$OUT/make.log" 2>&1; then
	not_ok "unit test built"
	sed 's/^/# /' "$OUT/make.log"
	exit 1
fi
if FAZHI_DOCX_SAMPLE="$OUT/sample.docx" "$B/tests/unit/report/test_docx" >"$OUT/unit.log" 2>&1 &&
	[ -s "$OUT/sample.docx" ]; then
	ok "unit test rendered $OUT/sample.docx"
else
	not_ok "unit test rendered $OUT/sample.docx"
	sed 's/^/# /' "$OUT/unit.log"
	exit 1
fi

# 3. conversion (a private profile, so a running LibreOffice or a read-only HOME does not matter)
profile=$(mktemp -d)
start=$(date +%s.%N)
soffice -env:UserInstallation="file://$profile" --headless --norestore \
	--convert-to pdf --outdir "$OUT" "$OUT/sample.docx" >"$OUT/soffice.log" 2>&1
rc=$?
end=$(date +%s.%N)
rm -rf "$profile"
sed 's/^/# soffice: /' "$OUT/soffice.log"
echo "# conversion took $(echo "$end - $start" | bc 2>/dev/null || awk "BEGIN { print $end - $start }") s"
check "soffice --convert-to pdf exited 0" [ "$rc" -eq 0 ]

# 4. the PDF
check "PDF exists and is non-empty" [ -s "$OUT/sample.pdf" ]
pdftotext -layout "$OUT/sample.pdf" "$OUT/sample.txt" 2>/dev/null || : >"$OUT/sample.txt"

# 5. A4
info=$(pdfinfo "$OUT/sample.pdf" 2>/dev/null)
pages=$(echo "$info" | sed -n 's/^Pages: *//p')
size=$(echo "$info" | sed -n 's/^Page size: *//p')
echo "# pages: ${pages:-?}, page size: ${size:-?}"
case $size in
*"(A4)"*) ok "page size is A4" ;;
*) not_ok "page size is A4" ;;
esac

# 6-9. text, with line breaks and the spaces pdftotext puts in removed
flat=$(tr -d ' \t\n\f' <"$OUT/sample.txt")
# the same without the page numbers, for text running over a page break
body=$(printf '%s' "$flat" | sed 's/—[0-9]*—//g')
has() {
	case $flat in
	*"$1"*) return 0 ;;
	*) echo "# not in the PDF text: $1"; return 1 ;;
	esac
}
body_has() {
	case $body in
	*"$1"*) return 0 ;;
	*) echo "# not in the PDF text: $1"; return 1 ;;
	esac
}
check "PDF text contains the title $TITLE" has "$TITLE"
check "PDF text contains the escaped body text" body_has '收案<结案&"办结"'"'件'"
check "PDF text contains the marked run" has '【缺数据:行政复议收案数】'
check "footer page numbers — 1 — and — 2 —" eval 'has "—1—" && has "—2—"'

[ "$failed" -eq 0 ]
