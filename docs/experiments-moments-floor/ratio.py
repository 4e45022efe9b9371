import sys, math, collections
# per seed: eW sqrt(N_eff) at t=1 and at the smallest t; geometric means, ratio, rms
d = collections.defaultdict(dict)
for f in sys.argv[1:]:
    for line in open(f):
        if not line.startswith("RES"): continue
        kv = dict(p.split("=", 1) for p in line.split()[1:] if "=" in p)
        if "cosToSmallestT" not in kv: continue
        d[(int(kv["N"]), int(kv["seed"]))][float(kv["t"])] = (float(kv["eWsqrtNeff"]), float(kv["cosToSmallestT"]))
byN = collections.defaultdict(list)
for (n, s), v in d.items():
    tmin = min(v); byN[n].append((s, v[1.0][0], v[tmin][0], v[1.0][1], tmin))
def gm(x): return math.exp(sum(map(math.log, x)) / len(x))
def lsd(x):
    l = [math.log(a) for a in x]; m = sum(l) / len(l)
    return math.sqrt(sum((a - m) ** 2 for a in l) / (len(l) - 1))
for n, rows in sorted(byN.items()):
    a = [r[1] for r in rows]; b = [r[2] for r in rows]; ratio = [r[1] / r[2] for r in rows]
    print(f"N={n:.0e} seeds={len(rows)} tmin={rows[0][4]}")
    print(f"  t=1:    geo mean {gm(a):.2f}  log-sd {lsd(a):.2f}  se {lsd(a)/math.sqrt(len(a)):.3f}  rms {math.sqrt(sum(x*x for x in a)/len(a)):.2f}  median {sorted(a)[len(a)//2]:.2f}")
    print(f"  t=tmin: geo mean {gm(b):.2f}  log-sd {lsd(b):.2f}  se {lsd(b)/math.sqrt(len(b)):.3f}  rms {math.sqrt(sum(x*x for x in b)/len(b)):.2f}  median {sorted(b)[len(b)//2]:.2f}")
    print(f"  ratio eW(1)/(t-scaled limit): geo mean {gm(ratio):.3f}  log-sd {lsd(ratio):.3f}  se {lsd(ratio)/math.sqrt(len(ratio)):.3f}  min {min(ratio):.2f} max {max(ratio):.2f}; mean cos(t=1, limit) {sum(r[3] for r in rows)/len(rows):.3f}")
