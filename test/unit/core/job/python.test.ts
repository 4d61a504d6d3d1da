import { describe, expect, it } from 'vitest';
import { parseFunctionName, parseInterpreter, parsePythonTarget, pythonSpec } from '../../../../main/core/job/python.js';
import { parseJobText } from '../../../../main/core/job/parse.js';

// The python key's syntax (no interpreter involved); the load-time check is in test/integration/python.
describe('python job keys', () => {
  it('a file path or a dotted module, then a function name', () => {
    expect(parsePythonTarget('./thumbs.py:make_thumbnail')).toEqual({ file: './thumbs.py', fn: 'make_thumbnail' });
    expect(parsePythonTarget('jobs/thumbs:f')).toEqual({ file: 'jobs/thumbs', fn: 'f' });
    expect(parsePythonTarget('C:\\jobs\\t.py:f')).toEqual({ file: 'C:\\jobs\\t.py', fn: 'f' });
    expect(parsePythonTarget('thumbs.images:make')).toEqual({ module: 'thumbs.images', fn: 'make' });
    const expected = 'expected a file or module and a function, like ./thumbs.py:make_thumbnail or thumbs.images:make_thumbnail, got';
    for (const bad of ['thumbs.py', 'x:', ':f', 'mod:1f', 'my-mod:f', 'a..b:f', 42]) expect(() => parsePythonTarget(bad)).toThrow(expected);
  });

  it('a path resolves against the job file\'s folder; a module stays a module', () => {
    expect(pythonSpec('./t.py:f', null, null, '/jobs').target).toBe('/jobs/t.py:f');
    expect(pythonSpec('pkg.mod:f', 'setup', ['/venv/bin/python'], '/jobs')).toEqual({ target: 'pkg.mod:f', init: 'setup', interpreter: ['/venv/bin/python'] });
    expect(pythonSpec('pkg.mod:f', null, null, '/jobs').interpreter).toEqual(process.platform === 'win32' ? ['py', '-3'] : ['python3']);
  });

  it('interpreter: a path or a list; init: a function name', () => {
    expect(parseInterpreter('/opt/my venv/bin/python')).toEqual(['/opt/my venv/bin/python']);
    expect(parseInterpreter(['py', '-3'])).toEqual(['py', '-3']);
    expect(() => parseInterpreter([])).toThrow('expected a Python interpreter (a path or a list like [py, -3]), got');
    expect(parseFunctionName('setup')).toBe('setup');
    expect(() => parseFunctionName('setup()')).toThrow('expected the name of a function in the python file or module, got "setup()"');
  });

  it('errors are located at the key', () => {
    const r = parseJobText('python: thumbs\ninputs: { list: [a] }\n', { file: 'job.yaml', baseDir: '/tmp' });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.issues.map((i) => i.text)).toEqual(['job.yaml:1:9: python: expected a file or module and a function, like ./thumbs.py:make_thumbnail or thumbs.images:make_thumbnail, got "thumbs"']);
    const both = parseJobText('python: ./t.py:f\nmodule: ./m.mjs\ninputs: { list: [a] }\n', { file: 'job.yaml', baseDir: '/tmp' });
    expect(!both.ok && both.issues.map((i) => i.text)).toContain('job.yaml:1:1: python: expected either module or python, got both');
  });
});
