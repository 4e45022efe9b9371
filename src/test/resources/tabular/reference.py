# Reference figures for bench --suite tabular (not part of the product): scikit-learn ridge / logistic regression and a
# 15-unit MLP on the same splits. Run from this directory: python3 reference.py diabetes | breast_cancer
# (Debian: apt-get install python3-sklearn).
import numpy as np, sys, time
from sklearn.linear_model import RidgeCV, LogisticRegressionCV
from sklearn.neural_network import MLPRegressor, MLPClassifier
from sklearn.preprocessing import StandardScaler
from sklearn.metrics import r2_score, accuracy_score, mean_squared_error
name=sys.argv[1]
tr=np.loadtxt(f"{name}/train/data.csv",delimiter=",",skiprows=1); te=np.loadtxt(f"{name}/test/data.csv",delimiter=",",skiprows=1)
Xtr,ytr,Xte,yte=tr[:,:-1],tr[:,-1],te[:,:-1],te[:,-1]
sc=StandardScaler().fit(Xtr); Xtr,Xte=sc.transform(Xtr),sc.transform(Xte)
if name=="diabetes":
    t=time.time(); m=RidgeCV(alphas=np.logspace(-3,3,25)).fit(Xtr,ytr); print("ridge  test R2 %.4f MSE %.1f  %.3fs"%(r2_score(yte,m.predict(Xte)),mean_squared_error(yte,m.predict(Xte)),time.time()-t))
    for s in range(3):
        t=time.time(); m=MLPRegressor(hidden_layer_sizes=(15,),max_iter=3000,random_state=s,alpha=1e-2).fit(Xtr,(ytr-ytr.mean())/ytr.std()); p=m.predict(Xte)*ytr.std()+ytr.mean(); print("mlp15 seed %d test R2 %.4f  %.3fs"%(s,r2_score(yte,p),time.time()-t))
else:
    t=time.time(); m=LogisticRegressionCV(max_iter=5000).fit(Xtr,ytr); print("logistic test acc %.4f %.3fs"%(accuracy_score(yte,m.predict(Xte)),time.time()-t))
    for s in range(3):
        t=time.time(); m=MLPClassifier(hidden_layer_sizes=(15,),max_iter=3000,random_state=s).fit(Xtr,ytr); print("mlp15 seed %d test acc %.4f %.3fs"%(s,accuracy_score(yte,m.predict(Xte)),time.time()-t))
