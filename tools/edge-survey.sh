#!/usr/bin/env bash
# Tries every command against environment failures and misplaced paths (issue 14, point 2) and
# prints one row per case: the exit code, how many lines went to stderr, and the first of them.
# A case is handled when stderr is one line starting "trm: " and the exit code is the expected
# one (2: the user's input, 1: the environment). Needs root for the tmpfs mounts (read-only,
# full disk); without it those cases are skipped. Usage: tools/edge-survey.sh [WORKDIR]
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
trm="$here/trm"
w="${1:-$(mktemp -d /tmp/trm-edge-survey.XXXXXX)}"
mkdir -p "$w" && cd "$w" || exit 1
model="$here/models/sudoku/model.safetensors"
sudoku=/work/shared/data/sudoku/magictour_top1465_solved.csv
[ -f "$sudoku" ] || sudoku="$here/../shared/data/sudoku/magictour_top1465_solved.csv"

tried=0 handled=0
row() { # expected-exit name command...
  local want=$1 name=$2; shift 2
  "$@" >"$w/out.txt" 2>"$w/err.txt" </dev/null
  local code=$? lines first ok=no
  lines=$(grep -c '' "$w/err.txt")
  first=$(head -1 "$w/err.txt" | cut -c1-150)
  if [ "$code" = "$want" ] && [ "$lines" = 1 ] && [[ "$first" == trm:* ]]; then ok=yes; handled=$((handled + 1)); fi
  tried=$((tried + 1))
  printf '%-4s %-44s exit %-3s lines %-3s %s\n' "$ok" "$name" "$code" "$lines" "$first"
}

# fixtures: a small CSV, a tiny dataset, a tiny run
head -31 "$sudoku" >small.csv
"$trm" data build sudoku --input small.csv --test-input small.csv --out ds >/dev/null 2>&1
"$trm" train --preset sudoku-mlp-tiny --data ds --out run --max-steps 2 --batch-size 6 --eval-limit 6 --dtype fp32 --no-progress >/dev/null 2>&1
python3 - <<'EOF'
import numpy as np, json, os, shutil
np.save("x.npy", np.ones((2, 81), dtype=np.int32))
np.save("x8.npy", np.ones((8, 81), dtype=np.int32))
os.makedirs("plotrun", exist_ok=True)
with open("plotrun/metrics.jsonl", "w") as f:
    for step in (1, 2, 3):
        f.write(json.dumps({"type": "train", "step": step, "halted": 2, "exact_accuracy": 0.5, "accuracy": 0.7}) + "\n")
np.save("zero.npy", np.ones((0, 81), dtype=np.int32))
np.save("flat.npy", np.ones((81,), dtype=np.int32))
with open("absurd.npy", "wb") as f:  # a header claiming 3e9 rows of 0 columns
    h = "{'descr': '<i4', 'fortran_order': False, 'shape': (3000000000, 0), }"
    h += " " * (63 - len(h) % 64) + "\n"
    f.write(b"\x93NUMPY\x01\x00" + len(h).to_bytes(2, "little") + h.encode())
for field, value in (("vocab_size", 2**31 - 1), ("num_puzzle_identifiers", 2**31 - 1)):
    d = "huge-" + field
    shutil.copytree("ds", d)
    for split in ("train", "test"):
        p = os.path.join(d, split, "dataset.json")
        m = json.load(open(p)); m[field] = value; json.dump(m, open(p, "w"))
open("latin1.csv", "wb").write(b"source,question,answer,rating\n\xe9t\xe9," + b"." * 81 + b",,\n")
open("binary.csv", "wb").write(bytes(range(256)) * 4)
open("binary.txt", "wb").write(b"\x00\xff\xfe" * 300)
open("long.txt", "w").write("x" * 9000 + "\n")  # a first line over 8 KB
EOF
echo "just a file" >file.txt
mkdir -p folder

echo "== read-only output folder"
mkdir -p ro
if mount -t tmpfs -o ro,size=1m tmpfs ro 2>/dev/null; then
  row 1 "data build sudoku --out <ro>/ds" "$trm" data build sudoku --input small.csv --out ro/ds
  row 1 "data generate sudoku --out <ro>/g.csv" "$trm" data generate sudoku --count 2 --out ro/g.csv
  row 1 "data solve sudoku --out <ro>/s.txt" "$trm" data solve sudoku --input small.csv --out ro/s.txt
  row 1 "trace --out <ro>/t" "$trm" trace --checkpoint "$model" --inputs x.npy --out ro/t --dtype fp32
  row 1 "eval --out <ro>/e" "$trm" eval --checkpoint run/model.safetensors --data ds --out ro/e --no-progress
  row 1 "train --out <ro>/run" "$trm" train --preset sudoku-mlp-tiny --data ds --out ro/run --max-steps 1 --batch-size 6 --eval-limit 6 --dtype fp32 --no-progress
  row 1 "convert --out <ro>/c.safetensors" "$trm" convert --to-official --checkpoint run/model.safetensors --out ro/c.safetensors
  row 1 "plot --out <ro>/p.png" "$trm" plot plotrun --out ro/p.png
  umount ro
else
  echo "skipped: mount -t tmpfs is not permitted here"
fi

echo "== disk full (a 256 KB tmpfs)"
mkdir -p full
if mount -t tmpfs -o size=256k tmpfs full 2>/dev/null; then
  row 1 "data build sudoku (mid-build)" "$trm" data build sudoku --input "$sudoku" --augment 20 --out full/ds
  row 1 "data generate sudoku --count 5000" "$trm" data generate sudoku --count 5000 --out full/g.csv
  row 1 "data solve sudoku (1465 lines)" sh -c "head -c 240k /dev/zero >full/filler && '$trm' data solve sudoku --input '$sudoku' --out full/s.txt; s=\$?; rm -f full/filler; exit \$s"
  row 1 "trace (logits)" "$trm" trace --checkpoint "$model" --inputs x8.npy --out full/t --dtype fp32 --steps 16
  row 1 "train (at a checkpoint)" "$trm" train --preset sudoku-mlp-tiny --data ds --out full/run --max-steps 1 --batch-size 6 --eval-limit 6 --dtype fp32 --no-progress
  row 1 "eval" sh -c "head -c 1m /dev/zero >full/filler 2>/dev/null; '$trm' eval --checkpoint run/model.safetensors --data ds --out full/e --no-progress; s=\$?; rm -f full/filler; exit \$s"
  row 1 "convert" "$trm" convert --to-official --checkpoint "$model" --out full/c.safetensors
  row 1 "plot" sh -c "head -c 1m /dev/zero >full/filler 2>/dev/null; '$trm' plot plotrun --out full/p.png; s=\$?; rm -f full/filler; exit \$s"
  umount full
else
  echo "skipped: mount -t tmpfs is not permitted here"
fi

echo "== output path below a regular file"
row 2 "data build sudoku --out file.txt/ds" "$trm" data build sudoku --input small.csv --out file.txt/ds
row 2 "data generate sudoku --out file.txt/g.csv" "$trm" data generate sudoku --count 1 --out file.txt/g.csv
row 2 "trace --out file.txt/t" "$trm" trace --checkpoint "$model" --inputs x.npy --out file.txt/t --dtype fp32
row 2 "train --out file.txt/run" "$trm" train --preset sudoku-mlp-tiny --data ds --out file.txt/run --max-steps 1 --batch-size 6 --eval-limit 6 --dtype fp32 --no-progress
row 2 "eval --out file.txt/e" "$trm" eval --checkpoint run/model.safetensors --data ds --out file.txt/e --no-progress
row 2 "convert --out file.txt/c" "$trm" convert --to-official --checkpoint "$model" --out file.txt/c.safetensors

echo "== a folder where a file is expected"
row 2 "data build sudoku --input <folder>" "$trm" data build sudoku --input folder --out o1
row 2 "data solve sudoku --input <folder>" "$trm" data solve sudoku --input folder
row 2 "trace --checkpoint <folder>" "$trm" trace --checkpoint folder --inputs x.npy --out o2
row 2 "trace --inputs <folder>" "$trm" trace --checkpoint "$model" --inputs folder --out o3
row 2 "trace --config <folder>" "$trm" trace --checkpoint "$model" --config folder --inputs x.npy --out o4
row 2 "eval --checkpoint <folder>" "$trm" eval --checkpoint folder --data ds --out o5
row 2 "train --config <folder>" "$trm" train --config folder --data ds --out o6
row 2 "train --init-from <folder>" "$trm" train --init-from folder --data ds --out o7
row 2 "info --checkpoint <folder>" "$trm" info --checkpoint folder
row 2 "convert --checkpoint <folder>" "$trm" convert --checkpoint folder --out o8.safetensors
row 2 "solve --checkpoint <folder>" "$trm" solve --checkpoint folder --sudoku "$(printf '.%.0s' {1..81})"
row 2 "solve --sudoku-file <folder>" "$trm" solve --sudoku-file folder
row 2 "serve --checkpoint <folder>" timeout 90 "$trm" serve --checkpoint folder --port 0

echo "== non-UTF-8, binary and long-line Sudoku files"
row 2 "data build sudoku --input latin1.csv" "$trm" data build sudoku --input latin1.csv --out o9
row 2 "data build sudoku --input binary.csv" "$trm" data build sudoku --input binary.csv --out o10
row 2 "data build sudoku --input binary.txt" "$trm" data build sudoku --input binary.txt --out o11
row 2 "data solve sudoku --input latin1.csv" "$trm" data solve sudoku --input latin1.csv
row 2 "data solve sudoku --input binary.txt" "$trm" data solve sudoku --input binary.txt
row 2 "data build sudoku --input long.txt (9 KB line)" "$trm" data build sudoku --input long.txt --out o12
row 2 "data solve sudoku --input long.txt" "$trm" data solve sudoku --input long.txt
row 2 "data show binary.csv" "$trm" data show binary.csv
row 2 "solve --sudoku-file binary.txt" "$trm" solve --sudoku-file binary.txt

echo "== trace --inputs shapes"
row 2 "trace --inputs 0 rows" "$trm" trace --checkpoint "$model" --inputs zero.npy --out o13
row 2 "trace --inputs 1-D" "$trm" trace --checkpoint "$model" --inputs flat.npy --out o14
row 2 "trace --inputs (3e9, 0)" "$trm" trace --checkpoint "$model" --inputs absurd.npy --out o15

echo "== dataset.json with huge sizes"
for f in vocab_size num_puzzle_identifiers; do
  row 2 "train --data <$f 2^31-1>" "$trm" train --preset sudoku-mlp-tiny --data "huge-$f" --out "o-$f" --max-steps 1 --batch-size 6 --eval-limit 6 --dtype fp32 --no-progress
  row 2 "eval --data <$f 2^31-1>" "$trm" eval --checkpoint run/model.safetensors --data "huge-$f" --out "e-$f" --no-progress
  row 2 "data show <$f 2^31-1>" "$trm" data show "huge-$f"
done

echo "== server start-up"
python3 -c 'import socket,time; s=socket.socket(); s.bind(("127.0.0.1",18765)); s.listen(); time.sleep(120)' &
holder=$!
sleep 1
row 1 "serve --port <in use>" timeout 90 "$trm" serve --port 18765
kill "$holder" 2>/dev/null
row 2 "serve --host no.such.host.invalid" timeout 90 "$trm" serve --host no.such.host.invalid --port 0
row 2 "serve --host 999.1.1.1" timeout 90 "$trm" serve --host 999.1.1.1 --port 0

echo "handled $handled of $tried"
