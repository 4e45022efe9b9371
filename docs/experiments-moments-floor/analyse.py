import sys, re, numpy as np, collections
# teacher W (canonical) from the driver? recompute from eW is impossible; we pass the truth via a file
rows = []
for f in sys.argv[1:]:
    for line in open(f):
        if not line.startswith("RES"): continue
        kv = dict(re.findall(r"(\w+)=(\S+)", line))
        rows.append(kv)
by = collections.defaultdict(list)
for r in rows: by[(r["law"], r["teacher"], int(r["N"]))].append(r)
try:
    truth = np.loadtxt("/tmp/mfloor/truthW_t1.txt")
except Exception:
    truth = None
med = {}
for key in sorted(by):
    rs = by[key]
    ew = np.array([float(r["eW"]) for r in rs])
    line = "%-8s t=%s N=%.0e m=%d eW median %.5f  min %.5f max %.5f  log-sd %.2f  geo-mean %.5f" % (
        key[0][:8], key[1], key[2], len(ew), np.median(ew), ew.min(), ew.max(), np.log(ew).std(ddof=1) if len(ew) > 1 else float('nan'), np.exp(np.log(ew).mean()))
    if truth is not None and key[1] == "1":
        W = np.array([[float(v) for v in r["W"].split(";")] for r in rs])
        mean = W.mean(axis=0)
        line += "  e(mean W_hat) %.5f (rms eW/sqrt(m) %.5f)" % (np.linalg.norm(mean - truth) / np.linalg.norm(truth), np.sqrt((ew**2).mean() / len(ew)))
    print(line)
    med[key] = np.median(ew)
keys = sorted(med)
for a, b in zip(keys, keys[1:]):
    if a[:2] == b[:2]:
        print("slope of medians %s %.0e -> %.0e: %.3f" % (a[0][:8], a[2], b[2], np.log(med[b] / med[a]) / np.log(b[2] / a[2])))
