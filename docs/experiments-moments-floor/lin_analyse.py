import sys, re, math, collections
# Reads RES lines of LinearityDriver; prints per t: seeds, geometric mean and median of eW/t * sqrt(N) (= eW sqrt(N_eff)), log-sd
rows = collections.defaultdict(list)
for f in sys.argv[1:]:
    for line in open(f):
        if not line.startswith("RES"): continue
        kv = dict(p.split("=") for p in line.split()[1:])
        rows[(int(kv["N"]), float(kv["t"]))].append((int(kv["seed"]), float(kv["eWsqrtNeff"]), float(kv["cosToSmallestT"]), float(kv["unit1share"])))
print("| N | t | N_eff = N/t^2 | seeds | geo mean eW sqrt(N_eff) | median | log-sd | se of log mean | mean cos to smallest t |")
print("|---|---|---|---|---|---|---|---|---|")
for (n, t) in sorted(rows, key=lambda a: (a[0], -a[1])):
    v = rows[(n, t)]
    logs = [math.log(x[1]) for x in v]
    m = sum(logs) / len(logs)
    sd = math.sqrt(sum((l - m) ** 2 for l in logs) / (len(logs) - 1)) if len(logs) > 1 else float('nan')
    vals = sorted(x[1] for x in v)
    med = vals[len(vals) // 2] if len(vals) % 2 else 0.5 * (vals[len(vals) // 2 - 1] + vals[len(vals) // 2])
    c = sum(x[2] for x in v) / len(v)
    print(f"| {n:.0e} | {t:g} | {n / t / t:.1e} | {len(v)} | {math.exp(m):.2f} | {med:.2f} | {sd:.2f} | {sd / math.sqrt(len(v)):.3f} | {c:.2f} |")
