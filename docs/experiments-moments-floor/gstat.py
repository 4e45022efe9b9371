import sys, math, collections
# geometric mean / rms / log-sd of eW sqrt(N) from FloorDriver RES lines, per N
d = collections.defaultdict(dict)
for f in sys.argv[1:]:
    for line in open(f):
        if not line.startswith("RES"): continue
        kv = dict(p.split("=", 1) for p in line.split()[1:] if "=" in p)
        if "eW" not in kv or "sec" not in kv: continue
        d[int(kv["N"])][int(kv["seed"])] = float(kv["eW"]) * math.sqrt(int(kv["N"]))
for n, v in sorted(d.items()):
    a = list(v.values()); l = [math.log(x) for x in a]; m = sum(l) / len(l)
    sd = math.sqrt(sum((x - m) ** 2 for x in l) / (len(l) - 1)) if len(l) > 1 else float('nan')
    print(f"N={n:.0e} fits={len(a)} seeds {min(v)}..{max(v)}: geo mean eW sqrt(N) {math.exp(m):.2f}  log-sd {sd:.2f}  se(log) {sd/math.sqrt(len(a)):.3f}  rms {math.sqrt(sum(x*x for x in a)/len(a)):.2f}  median {sorted(a)[len(a)//2]:.2f}")
