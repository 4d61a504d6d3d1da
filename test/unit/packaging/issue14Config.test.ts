// Issue 14's findings about electron-builder.yml, each pinned on the parsed config: packages that
// start (fuses + ad-hoc signature), both Mac architectures, Windows signing and AUMID, the CLI in
// every package, the deb's libraries, updates, least entitlements, the NSIS PATH option.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readBuilderConfig, root } from './support.js';

const config = readBuilderConfig() as ReturnType<typeof readBuilderConfig> & {
  extraResources: Array<{ from: string; to: string }>;
  publish: Record<string, string> | null;
};
const text = (f: string) => readFileSync(join(root, f), 'utf8');
const FPM_DEFAULT_DEB = ['libgtk-3-0', 'libnotify4', 'libnss3', 'libxss1', 'libxtst6', 'xdg-utils', 'libatspi2.0-0', 'libuuid1', 'libsecret-1-0'];

describe('item 1: unsigned Apple-silicon builds start', () => {
  it('re-signs ad hoc right after the fuses are flipped', () => {
    expect(config.electronFuses.resetAdHocDarwinSignature).toBe(true);
  });

  it('is where app-builder-lib reads it (generateFuseConfig passes electronFuses.resetAdHocDarwinSignature on)', () => {
    const src = text('node_modules/app-builder-lib/out/platformPackager.js');
    expect(src).toContain('resetAdHocDarwinSignature: fuses.resetAdHocDarwinSignature');
  });
});

describe('item 3: Intel and Apple-silicon Macs', () => {
  it('builds dmg and zip for x64 and arm64', () => {
    expect(config.mac.target).toEqual([
      { target: 'dmg', arch: ['x64', 'arm64'] },
      { target: 'zip', arch: ['x64', 'arm64'] },
    ]);
  });

  it('names the arch in the artifacts, so the two builds do not overwrite each other', () => {
    expect((config.dmg as { artifactName: string }).artifactName).toContain('${arch}');
  });
});

describe('item 2 and 4: Windows signing and AUMID', () => {
  it('the appId the installer tags shortcuts with is the one main/app sets as AUMID', async () => {
    const { appUserModelId } = await import('../../../main/app/startup.js');
    expect(appUserModelId).toBe(config.appId);
  });

  it('says where Windows signing comes from (WIN_CSC_LINK), next to the win section', () => {
    expect(text('electron-builder.yml')).toMatch(/win:[\s\S]*WIN_CSC_LINK[\s\S]*nsis:/);
  });
});

describe('item 7: the command line in every package', () => {
  it('ships bin/corral.cjs (package.json "bin") inside app.asar', () => {
    expect(config.files).toContain('bin/corral.cjs');
    const pkg = JSON.parse(text('package.json')) as { bin: Record<string, string> };
    expect(pkg.bin.corral).toBe('bin/corral.cjs');
  });

  it('copies the launchers to resources/bin', () => {
    expect(config.extraResources).toContainEqual({ from: 'build/bin', to: 'bin' });
    expect(statSync(join(root, 'build/bin/corral')).mode & 0o111).toBe(0o111);
    expect(text('build/bin/corral')).toMatch(/^#!\/bin\/sh\n/);
    expect(text('build/bin/corral')).toContain('ELECTRON_RUN_AS_NODE=1 exec "$runtime" "$resources/app.asar/bin/corral.cjs" "$@"');
  });

  it('the Windows launcher runs Corral.exe as Node with CRLF line ends', () => {
    const cmd = text('build/bin/corral.cmd');
    expect(cmd.split('\n').slice(0, -1).every((l) => l.endsWith('\r'))).toBe(true);
    expect(cmd).toContain('set ELECTRON_RUN_AS_NODE=1\r\n"%CORRAL_RESOURCES%\\..\\Corral.exe" "%CORRAL_RESOURCES%\\app.asar\\bin\\corral.cjs" %*');
  });

  it('the deb links /usr/bin/corral to the launcher, not the GUI, and unlinks it on removal', () => {
    expect(config.deb.afterInstall).toBe('build/linux/after-install.sh');
    expect(config.deb.afterRemove).toBe('build/linux/after-remove.sh');
    const install = text('build/linux/after-install.sh');
    expect(install).toContain("CORRAL_CLI='/opt/${sanitizedProductName}/resources/bin/${executable}'");
    expect(install).toContain(`update-alternatives --install '/usr/bin/\${executable}' '\${executable}' "$CORRAL_CLI" 100`);
    expect(install).not.toMatch(/--install '\/usr\/bin\/\$\{executable\}' '\$\{executable\}' '\/opt\/\$\{sanitizedProductName\}\/\$\{executable\}'/);
    expect(text('build/linux/after-remove.sh')).toContain("--remove '${executable}' '/opt/${sanitizedProductName}/resources/bin/${executable}'");
  });

  it('renders with electron-builder’s macro rules (every ${name} known) into valid bash', () => {
    // FpmTarget.writeConfigFile: ${name} must be a known option, else the build throws "Macro name is not defined".
    const options: Record<string, string> = { executable: 'corral', sanitizedProductName: 'Corral', productFilename: 'Corral' };
    for (const f of ['build/linux/after-install.sh', 'build/linux/after-remove.sh']) {
      const rendered = text(f).replace(/\$\{([a-zA-Z]+)\}/g, (_m, name: string) => {
        expect(Object.keys(options), `${f}: \${${name}}`).toContain(name);
        return options[name];
      });
      expect(() => execFileSync('bash', ['-n'], { input: rendered })).not.toThrow();
      if (f.endsWith('install.sh')) expect(rendered).toContain("CORRAL_CLI='/opt/Corral/resources/bin/corral'");
    }
  });

  it('keeps the rest of electron-builder’s after-install (chrome-sandbox, desktop database, AppArmor)', () => {
    const ours = text('build/linux/after-install.sh');
    const theirs = text('node_modules/app-builder-lib/templates/linux/after-install.tpl');
    const tail = (s: string) => s.slice(s.indexOf('# Check if user namespaces'));
    expect(tail(ours)).toBe(tail(theirs));
  });

  it('the NSIS include offers "Add corral to PATH", unticked, and undoes it on uninstall', () => {
    expect(config.nsis.include).toBe('build/installer.nsh');
    const nsh = text('build/installer.nsh');
    expect(nsh).toContain('!macro customPageAfterChangeDir');
    expect(nsh).toContain('${NSD_CreateCheckbox} 0 44u 100% 12u "Add corral to PATH"');
    expect(nsh).toContain('!define CORRAL_BIN "$INSTDIR\\resources\\bin"');
    expect(nsh).toMatch(/!macro customInstall\r\n\s+\$\{If\} \$CorralAddToPath == \$\{BST_CHECKED\}/);
    expect(nsh).toMatch(/!macro customUnInstall[\s\S]*\$\{AndIf\} \$2 != "\$\{CORRAL_BIN\}"[\s\S]*WriteRegExpandStr HKCU/);
    // Every macro and function that opens is closed; every If has its EndIf.
    const count = (re: RegExp) => (nsh.match(re) ?? []).length;
    expect(count(/^\s*!macro /gm)).toBe(count(/^\s*!macroend/gm));
    expect(count(/^\s*Function /gm)).toBe(count(/^\s*FunctionEnd/gm));
    expect(count(/^\s*\$\{If\}/gm)).toBe(count(/^\s*\$\{EndIf\}/gim));
    expect(count(/^\s*!ifndef /gm)).toBe(count(/^\s*!endif/gm));
  });
});

describe('item 8: the deb names the libraries Electron loads', () => {
  const depends = config.deb.depends as string[];
  it('keeps electron-builder’s own list (naming depends replaces it)', () => {
    expect(depends).toEqual(expect.arrayContaining(FPM_DEFAULT_DEB));
    const src = text('node_modules/app-builder-lib/out/targets/FpmTarget.js');
    expect(src).toContain(`return [${FPM_DEFAULT_DEB.map((d) => `"${d}"`).join(', ')}];`);
  });

  it('adds libgbm1 and libasound2 (Ubuntu 24.04 renamed it libasound2t64)', () => {
    expect(depends).toContain('libgbm1');
    expect(depends).toContain('libasound2t64 | libasound2');
    expect(depends).toEqual(expect.arrayContaining(['libdrm2', 'libxkbcommon0', 'libcups2t64 | libcups2']));
  });
});

describe('item 6: job files open from the desktop', () => {
  it('Linux claims *.corral.yaml / *.corral.yml only, under its own MIME type', () => {
    expect(config.linux.fileAssociations).toEqual([
      { ext: 'corral.yaml', name: 'Corral job', mimeType: 'application/x-corral-job' },
      { ext: 'corral.yml', name: 'Corral job', mimeType: 'application/x-corral-job' },
    ]);
  });

  it('macOS lists Corral under Open With for YAML without becoming the default', () => {
    expect(config.mac.fileAssociations).toEqual([{ ext: ['yaml', 'yml'], name: 'Corral job', role: 'Viewer', rank: 'Alternate' }]);
  });

  it('Windows registers nothing (it would take every .yaml from the user’s editor)', () => {
    expect(config.win.fileAssociations).toBeUndefined();
    expect(config.fileAssociations).toBeUndefined();
  });
});

describe('item 9: least entitlements, each with its reason', () => {
  const keys = (f: string) => [...text(f).matchAll(/<key>([^<]+)<\/key>/g)].map((m) => m[1]);
  it('the main binary: JIT and library validation off (module tasks load users’ addons), nothing else', () => {
    expect(keys('build/entitlements.mac.plist')).toEqual(['com.apple.security.cs.allow-jit', 'com.apple.security.cs.disable-library-validation']);
  });

  it('helpers: JIT only', () => {
    expect(keys('build/entitlements.mac.inherit.plist')).toEqual(['com.apple.security.cs.allow-jit']);
  });

  it('a "why:" comment stands right above every key', () => {
    for (const f of ['build/entitlements.mac.plist', 'build/entitlements.mac.inherit.plist']) {
      const lines = text(f).split('\n');
      lines.forEach((l, i) => {
        if (!l.includes('<key>')) return;
        let j = i - 1;
        while (j > 0 && !lines[j].includes('<!--')) j--;
        expect(lines[j], `${f}:${i + 1}`).toContain('why:');
      });
    }
  });
});

describe('item 11: licence and notices travel with the app', () => {
  it('LICENSE is the MIT text package.json names', () => {
    expect((JSON.parse(text('package.json')) as { license: string }).license).toBe('MIT');
    expect(text('LICENSE')).toMatch(/^MIT License\n\nCopyright \(c\) Corral developers\n/);
  });

  it('both are copied into resources/', () => {
    expect(config.extraResources).toContainEqual({ from: 'LICENSE', to: 'LICENSE' });
    expect(config.extraResources).toContainEqual({ from: 'out/THIRD_PARTY_NOTICES.txt', to: 'THIRD_PARTY_NOTICES.txt' });
  });
});

describe('item 12: updates from GitHub Releases', () => {
  it('publishes to a draft GitHub release', () => {
    expect(config.publish).toEqual({ provider: 'github', owner: 'corral-app', repo: 'corral', releaseType: 'draft' });
    expect((JSON.parse(text('package.json')) as { homepage: string }).homepage).toBe('https://github.com/corral-app/corral');
  });

  it('electron-updater is a run-time dependency (shipped in node_modules)', () => {
    const pkg = JSON.parse(text('package.json')) as { dependencies: Record<string, string> };
    expect(pkg.dependencies['electron-updater']).toBe('6.8.10');
    expect(existsSync(join(root, 'node_modules/electron-updater/package.json'))).toBe(true);
  });
});
