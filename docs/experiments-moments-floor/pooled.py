import sys, math, collections
# Pools the eW of section 1's table (data seeds 1-8) with new FloorDriver RES files (other seeds) and
# prints, per N, geometric mean / log-sd / rms of eW sqrt(N), and slopes between geometric means.
old = {  # section 1 table, Gaussian, teacher seed 1, noise 0.1
    1e6: [0.01042, 0.00886, 0.00975, 0.02401, 0.01124, 0.02215, 0.00891, 0.02137],
    1e7: [0.00330, 0.00339, 0.00304, 0.00449, 0.00742, 0.00609, 0.00670, 0.00849],
    3e7: [0.00490, 0.00342, 0.00399, 0.00334, 0.00299, 0.00124],
    1e8: [0.00195, 0.00261, 0.00163, 0.00192, 0.00295, 0.00293, 0.00212],
}
new = collections.defaultdict(list)
for f in sys.argv[1:]:
    for line in open(f):
        if not line.startswith("RES"): continue
        kv = dict(p.split("=", 1) for p in line.split()[1:] if "=" in p)
        if "sec" not in kv: continue
        new[float(kv["N"])].append(float(kv["eW"]))
def stats(e, n):
    l = [math.log(x * math.sqrt(n)) for x in e]; m = sum(l) / len(l)
    sd = math.sqrt(sum((x - m) ** 2 for x in l) / (len(l) - 1))
    return m, sd, len(l), math.sqrt(sum(math.exp(2 * x) for x in l) / len(l))
print("| N | set | fits | geo mean eW sqrt(N) | log-sd | se of log mean | rms eW sqrt(N) |")
print("|---|---|---|---|---|---|---|")
pooled = {}
newonly = {}
for n in sorted(set(old) | set(new)):
    for name, e in (("section 1 (seeds 1-8)", old.get(n, [])), ("new seeds", new.get(n, [])), ("all", old.get(n, []) + new.get(n, []))):
        if len(e) < 2: continue
        m, sd, k, rms = stats(e, n)
        print(f"| {n:.0e} | {name} | {k} | {math.exp(m):.2f} | {sd:.2f} | {sd / math.sqrt(k):.3f} | {rms:.2f} |")
        if name == "all": pooled[n] = (m, sd, k)
        if name == "new seeds": newonly[n] = (m, sd, k)
for label, tab in (("all fits", pooled), ("new seeds only", newonly)):
  ns = sorted(tab)
  for i in range(len(ns)):
    for j in range(i + 1, len(ns)):
        a, b = tab[ns[i]], tab[ns[j]]
        lr = math.log(ns[j] / ns[i])
        slope = -0.5 + (b[0] - a[0]) / lr
        se = math.sqrt(a[1] ** 2 / a[2] + b[1] ** 2 / b[2]) / lr
        print(f"{label}: slope {ns[i]:.0e} -> {ns[j]:.0e}: {slope:.3f} +- {se:.3f}  ({(slope + 0.5) / se:+.1f} se from -1/2)")
ns = sorted(pooled)
# least squares over all fits of log eW on log N
xs, ys = [], []
for n in ns:
    for e in old.get(n, []) + new.get(n, []):
        xs.append(math.log(n)); ys.append(math.log(e))
mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
sxx = sum((x - mx) ** 2 for x in xs); b = sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sxx
res = [y - my - b * (x - mx) for x, y in zip(xs, ys)]
s2 = sum(r * r for r in res) / (len(xs) - 2)
print(f"least squares over {len(xs)} fits: slope {b:.3f} +- {math.sqrt(s2 / sxx):.3f}")
