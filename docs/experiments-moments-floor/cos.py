import re, sys, numpy as np
truth = np.loadtxt("truthW_t1.txt"); tn = np.linalg.norm(truth)
E = {}
for f in sys.argv[1:]:
    for l in open(f):
        if not l.startswith("RES"): continue
        kv = dict(re.findall(r"(\w+)=(\S+)", l))
        E[(int(kv["N"]), int(kv["seed"]))] = (np.array([float(v) for v in kv["W"].split(";")]) - truth) / tn
keys = sorted(E)
def cos(a, b): return a @ b / np.linalg.norm(a) / np.linalg.norm(b)
for n in sorted({k[0] for k in keys}):
    ks = [k for k in keys if k[0] == n]
    cs = [cos(E[a], E[b]) for i, a in enumerate(ks) for b in ks[i+1:]]
    print("N=%.0e pairwise cos between seeds: mean %.2f  mean|cos| %.2f  n=%d" % (n, np.mean(cs), np.mean(np.abs(cs)), len(cs)))
    # effective dimension of the error vectors at this N
    M = np.array([E[k] for k in ks]); s = np.linalg.svd(M, compute_uv=False)
    print("   singular values of the stacked errors:", np.round(s / s[0], 2))
means = {n: np.mean([E[k] for k in keys if k[0] == n], axis=0) for n in sorted({k[0] for k in keys})}
ns = sorted(means)
for i, a in enumerate(ns):
    for b in ns[i+1:]:
        print("cos(mean error at %.0e, mean error at %.0e) = %.2f" % (a, b, cos(means[a], means[b])))
# errors concentrated per hidden unit?
for k in keys:
    e = E[k].reshape(4, 20); print(k, "eW %.5f" % np.linalg.norm(e), "per-unit share", np.round(np.linalg.norm(e, axis=1)**2 / np.linalg.norm(e)**2, 2))
