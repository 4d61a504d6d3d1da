#!/usr/bin/env python3
# Two built Corral trees against each other and Python's Pool, in interleaved rounds: trivial module
# tasks, Python tasks at chunksize 1 and 100, Pool.imap_unordered(chunksize=1) and Pool.map. Reports
# tasks/s (median), the ratios, and CPU per task of the supervisor and of its hosts (total CPU from
# GNU time minus the supervisor's and the reaper's, which cpu-per-process.cjs records).
# usage: compare-trees.py BASE_TREE NEW_TREE N ROUNDS [module,py1,py100]   (NODE=path to node)
import os, subprocess, sys, time, statistics, tempfile, json
BASE, NEW = sys.argv[1], sys.argv[2]
N=int(sys.argv[3]); R=int(sys.argv[4]); kinds=(sys.argv[5] if len(sys.argv)>5 else 'module,py1,py100').split(',')
NODE=os.environ.get('NODE', 'node')
HERE=os.path.dirname(os.path.abspath(__file__))
trees={'base':BASE,'new':NEW}
W=tempfile.mkdtemp(prefix='corral-compare-')
def job(tree,kind):
    f=f'{W}/{"base" if tree==BASE else "new"}-{kind}-{N}.yaml'
    if kind=='module': body=f'module: {json.dumps(tree+"/bench/helpers/trivial.mjs")}\n'
    else: body=f'python: {json.dumps(tree+"/bench/helpers/py_tasks.py:trivial")}\n'
    extra='chunksize: 100\n' if kind=='py100' else ''
    open(f,'w').write(f'name: cmp-{kind}\n{body}inputs: {{range: {{from: 1, to: {N}}}}}\nconcurrency: 2\n{extra}')
    return f
def run_corral(tree,kind):
    f=job(tree,kind); cpu=f'{W}/cpu.txt'
    if os.path.exists(cpu): os.remove(cpu)
    env=dict(os.environ, CPU_OUT=cpu, CORRAL_STATE_DIR=f'{W}/state', NODE_OPTIONS=f'--require {HERE}/cpu-per-process.cjs')
    t0=time.time(); r=subprocess.run(['/usr/bin/time','-f','%U %S',NODE,tree+'/bin/corral.cjs','run',f,'--jobs','2'],env=env,stdout=subprocess.DEVNULL,stderr=subprocess.PIPE,text=True); w=time.time()-t0
    u,s=r.stderr.strip().split('\n')[-1].split(); tot=(float(u)+float(s))*1e6
    sup=0; other=0
    for line in open(cpu):
        pid,name,uu,ss=line.split(); t=int(uu)+int(ss)
        if 'corral.cjs' in name: sup+=t
        elif 'reaper' in name or 'spawner' in name: other+=t
    return w, sup/N, (tot-sup-other)/N
def run_py(mode):
    t0=time.time(); r=subprocess.run(['/usr/bin/time','-f','%U %S','python3',f'{HERE}/pool.py',mode,str(N),'2'],stdout=subprocess.DEVNULL,stderr=subprocess.PIPE,text=True); w=time.time()-t0
    u,s=r.stderr.strip().split('\n')[-1].split(); return w,(float(u)+float(s))*1e6/N,0
res={}
for rnd in range(R):
    for kind in kinds:
        for tree in ('base','new'):
            res.setdefault(f'{tree} {kind}',[]).append(run_corral(trees[tree],kind))
    res.setdefault('py imap1',[]).append(run_py('imap1'))
    res.setdefault('py map',[]).append(run_py('map'))
med=lambda xs: statistics.median(xs)
imap=med([N/x[0] for x in res['py imap1']]); pmap=med([N/x[0] for x in res['py map']])
print(f'N={N} rounds={R} load={os.getloadavg()[0]:.1f}')
print(f'{"contender":16} {"tasks/s":>8} {"x imap1":>8} {"x map":>6} {"sup us/t":>9} {"host us/t":>9}')
for k,v in res.items():
    tps=med([N/x[0] for x in v])
    print(f'{k:16} {tps:8.0f} {tps/imap:8.2f} {tps/pmap:6.2f} {med([x[1] for x in v]):9.1f} {med([x[2] for x in v]):9.1f}')
