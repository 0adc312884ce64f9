import { join } from 'node:path'
import {
  app,
  BrowserWindow,
  dialog,
  ipcMain,
  net,
  powerMonitor,
  protocol,
  screen,
  session,
  shell,
} from 'electron'
import { encodeEvent } from '../src-preload/contract/server'
import { installCrashLogging } from './common/crash-log'
import { createLogger } from './common/logger'
import { rotatingFileSink } from './common/rotating-file-sink'
import { AppCore } from './core/app-core'
import { retentionForDays } from './core/outbox'
import { SettingsStore } from './core/settings/settings-store'
import { ViewerConsent, viewerOriginsFromEnv } from './core/app/viewer-consent'
import { SealedFileVault } from './core/vault/sealed-file-vault'
import { applyDictationSupport } from './electron/accessibility'
import { APP_SCHEME, APP_SCHEME_PRIVILEGES, createAppRequestHandler } from './electron/app-protocol'
import { bindIpc } from './electron/ipc-main'
import { keystoreRefusal, weakKeystoreAllowed } from './electron/keystore-policy'
import { watchWake } from './electron/lifecycle'
import { electronNotify } from './electron/notify'
import { openExternalAllowed } from './electron/open-external'
import { displayOf, placeWindow, WindowStateFile, type DisplayArea } from './electron/window-state'
import { safeStorageSeal } from './electron/safe-storage-seal'
import { hardenSession, hardenWebContents } from './electron/security'
import {
  seedShippedDictionaries,
  startOfflineSpellcheck,
  type OfflineSpellcheck,
} from './electron/spellcheck'
import { createTrustedUrlCheck } from './electron/trusted-url'
import { createMainWindow } from './electron/window'
import {
  bindContentProtection,
  bindPowerEvents,
  type ContentProtectionBinding,
} from './electron/window-privacy'
import { ContractError } from '../src-preload/contract/server'
import type { EmitEvent } from './core/app-core'
import { WorkstationHost } from './workstation/workstation-host'

// Composition root: build the services, bind them to Electron, open the window. Nothing else here.
// A separate profile (tests, a second clinician on a shared login): settings, vault, connection and
// the single-instance lock all follow userData, so it is set before anything reads it.
const userDataOverride = process.env['QUBS_USER_DATA_DIR']
if (userDataOverride) app.setPath('userData', userDataOverride)
// Main's log: redacted JSON lines in <userData>/logs/main.log (0600, 5 MB × 5 files), where support
// information points; crashes go there too, never as a stack on stderr or in a dialog.
const logDir = join(app.getPath('userData'), 'logs')
const logFile = join(logDir, 'main.log')
const logger = createLogger('main', { sink: rotatingFileSink({ path: logFile }) })
installCrashLogging({ process, logger, crashDir: logDir, exit: (code) => app.exit(code) })
const rendererDir = join(__dirname, '../renderer')
const devServerUrl = !app.isPackaged ? process.env['ELECTRON_RENDERER_URL'] : undefined
const isTrustedUrl = createTrustedUrlCheck({ devServerUrl, isPackaged: app.isPackaged })
const ourWindows = new Map<number, BrowserWindow>()
let host: WorkstationHost | undefined
let contentProtection: ContentProtectionBinding | undefined
let spellcheck: OfflineSpellcheck | undefined
// Packaged: electron-builder's extraResources; in development: the checkout's resources/.
const resourcesDir = app.isPackaged
  ? join(process.resourcesPath, 'resources')
  : join(app.getAppPath(), 'resources')

// The renderer is served from app://reporter/, never file://; the scheme must be privileged before ready.
protocol.registerSchemesAsPrivileged([
  { scheme: APP_SCHEME_PRIVILEGES.scheme, privileges: { ...APP_SCHEME_PRIVILEGES.privileges } },
])

// Dictation tools find text fields through the accessibility tree, which Chromium builds only when
// it detects assistive technology; force it on until the settings say (applyDictationSupport).
app.setAccessibilitySupportEnabled(true)
// Before the session exists, so Chromium's checker finds its dictionaries and never asks the CDN.
seedShippedDictionaries(
  resourcesDir,
  () => join(app.getPath('sessionData'), 'Dictionaries'),
  process.platform,
  logger.child('spellcheck'),
)
// One instance per user: the outbox is locked by the first, and a second would only fail to open it.
const isFirstInstance = app.requestSingleInstanceLock()
if (!isFirstInstance) app.quit()

// Every web contents, ours or any other Electron creates, refuses navigation away, new windows and
// webviews: registered before the first window exists, so none is ever unguarded.
app.on('web-contents-created', (_event, contents) => {
  hardenWebContents(contents, isTrustedUrl, logger.child('security'))
})

async function start(): Promise<void> {
  hardenSession(session.defaultSession, logger.child('security'))
  protocol.handle(APP_SCHEME, createAppRequestHandler({ rendererDir, logger: logger.child('app-protocol') }))
  const seal = await safeStorageSeal(logger.child('vault'))
  const userData = app.getPath('userData')
  const dataDir = process.env['QUBS_DATA_DIR'] || join(userData, 'data')
  const vault = new SealedFileVault(join(userData, 'vault.json'), seal)
  const settings = await SettingsStore.open({ filePath: join(userData, 'settings.json'), logger })
  applyDictationSupport(app, settings)
  spellcheck = await startOfflineSpellcheck({
    session: session.defaultSession,
    settings,
    platform: process.platform,
    resourcesDir,
    logger: logger.child('spellcheck'),
  })
  const emit: EmitEvent = (event, payload) => {
    const { channel, payload: checked } = encodeEvent(event, payload)
    for (const window of ourWindows.values()) window.webContents.send(channel, checked)
  }
  host = await WorkstationHost.open({
    dataDir,
    connectionFile: join(userData, 'connection.json'),
    vault,
    logger,
    env: process.env,
    emit,
    retention: () => retentionForDays(settings.settings.privacy.retentionDays),
    // Patient data under a well-known password is not protected: refuse rather than pretend, at start
    // and whenever the person switches to a QUBS connection.
    beforeConfiguredOpen: async () => {
      const refusal = keystoreRefusal({
        configured: true,
        sealStrength: seal.strength,
        dataKeyStrength: await vault.dataKeyStrength(),
        allowWeak: weakKeystoreAllowed(process.env, process.argv),
        platform: process.platform,
      })
      if (refusal) throw new ContractError('refused', refusal)
    },
    createCore: (workstation, setup) =>
      new AppCore({
        name: app.getName(),
        version: app.getVersion(),
        mode: workstation.mode,
        runtime: {
          node: process.versions.node,
          electron: process.versions.electron,
          chrome: process.versions.chrome,
        },
        logger: logger.child('core'),
        services: workstation.services,
        vault,
        settings,
        setup,
        notify: electronNotify(logger.child('notify')),
        viewerConsent: new ViewerConsent({
          filePath: join(userData, 'viewer-origins.json'),
          preApproved: viewerOriginsFromEnv(process.env['QUBS_VIEWER_ORIGINS']),
          ask: (origin) => askViewerOrigin(origin),
          logger,
        }),
        openExternal: async (url, allowedOrigins) => {
          const outcome = await openExternalAllowed(url, allowedOrigins, {
            openExternal: (checked) => shell.openExternal(checked),
            logger: logger.child('open-external'),
          })
          if (!outcome.opened) throw new ContractError('refused', outcome.reason)
        },
        connection: workstation.connection,
        logFile,
        emit,
      }),
  })
  bindIpc({
    ipcMain,
    impl: host.impl,
    logger: logger.child('ipc'),
    isTrustedUrl,
    isOurWebContents: (contents) => ourWindows.has(contents.id),
  })
  contentProtection = bindContentProtection(settings, () => ourWindows.values())
  // The OS locking the session or going to sleep locks the app (hides every PHI pixel).
  const running = host
  bindPowerEvents(powerMonitor, { onLock: (reason) => running.core.requestLock(reason) })
  // Main's own PHI in memory (attachment bytes past their time to live) leaves on the same rhythm.
  setInterval(() => running.core.purgeExpiredCaches(), 10 * 60_000).unref()
  windowState = new WindowStateFile(join(userData, 'window-state.json'), logger)
  // Resume from sleep and the network coming back: try the outbox now and refresh the worklist.
  watchWake({ power: powerMonitor, isOnline: () => net.isOnline(), onWake: (reason) => running.wake(reason) })
  await openWindow()
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) void openWindow()
  })
}

let windowState: WindowStateFile | undefined

/** A native dialog (the page cannot answer it): may study links, with patient ids, go to `origin`? */
async function askViewerOrigin(origin: string): Promise<boolean> {
  const [window] = ourWindows.values()
  const options = {
    type: 'question' as const,
    buttons: ['Allow', 'Cancel'],
    defaultId: 1,
    cancelId: 1,
    title: 'Image viewer',
    message: `Open studies in the image viewer at ${origin}?`,
    detail: 'The link carries the study and patient identifiers. Allow only your PACS viewer.',
  }
  const { response } = window
    ? await dialog.showMessageBox(window, options)
    : await dialog.showMessageBox(options)
  return response === 0
}

function displayAreas(): DisplayArea[] {
  const primary = screen.getPrimaryDisplay().id
  return screen.getAllDisplays().map((d) => ({ id: d.id, workArea: d.workArea, primary: d.id === primary }))
}

async function openWindow(): Promise<void> {
  const placement = placeWindow((await windowState?.read()) ?? null, displayAreas())
  const window = createMainWindow({
    preloadPath: join(__dirname, '../preload/index.cjs'),
    devServerUrl,
    logger: logger.child('window'),
  })
  // Placed before it is first shown (the window opens hidden until ready-to-show).
  window.setBounds(placement.bounds)
  if (placement.maximized) window.maximize()
  const id = window.webContents.id
  ourWindows.set(id, window)
  contentProtection?.apply(window)
  window.on('close', () => {
    const bounds = window.getNormalBounds()
    const display = displayOf(bounds, displayAreas())
    void windowState
      ?.write({ ...bounds, maximized: window.isMaximized(), ...(display ? { displayId: display.id } : {}) })
      .catch((error: unknown) => logger.warn('the window place could not be saved', { error }))
  })
  window.on('closed', () => ourWindows.delete(id))
}

// A second instance only hands over (`second-instance` in the first) and quits: it must not open the
// outbox the first holds, which would fail and turn a clean hand-over into a start-up error.
void app
  .whenReady()
  .then(() => (isFirstInstance ? start() : undefined))
  .catch((error: unknown) => {
    logger.error('start-up failed', { error })
    process.stderr.write(
      `QUBS Reporter could not start: ${error instanceof Error ? error.message : 'unknown error'}\n`,
    )
    app.exit(1)
  })

app.on('second-instance', () => {
  const [window] = BrowserWindow.getAllWindows()
  if (window) {
    if (window.isMinimized()) window.restore()
    window.focus()
  }
})

// Closing the services stops the sync engine so in-flight entries stay `sending` for the next start.
let closing = false
app.on('will-quit', (event) => {
  if (closing || !host) return
  closing = true
  event.preventDefault()
  void Promise.allSettled([host.close(), spellcheck?.close()]).finally(() => app.quit())
})

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit()
})
