import { join } from 'node:path'
import { app, BrowserWindow, ipcMain, net, powerMonitor, screen, session } from 'electron'
import { encodeEvent } from '../src-preload/contract/server'
import { fileSink } from './common/file-sink'
import { createLogger, stderrSink } from './common/logger'
import { AppCore } from './core/app-core'
import { SettingsStore } from './core/settings/settings-store'
import { SealedFileVault } from './core/vault/sealed-file-vault'
import { bindIpc } from './electron/ipc-main'
import { watchWake } from './electron/lifecycle'
import { electronNotify, electronOpenExternal } from './electron/notify'
import { displayOf, placeWindow, WindowStateFile, type DisplayArea } from './electron/window-state'
import { safeStorageSeal } from './electron/safe-storage-seal'
import { hardenSession, hardenWebContents } from './electron/security'
import { createTrustedUrlCheck } from './electron/trusted-url'
import { createMainWindow } from './electron/window'
import { ContractError } from '../src-preload/contract/server'
import type { EmitEvent } from './core/app-core'
import { WorkstationHost } from './workstation/workstation-host'

// Composition root: build the services, bind them to Electron, open the window. Nothing else here.
// A separate profile (tests, a second clinician on a shared login): settings, vault, connection and
// the single-instance lock all follow userData, so it is set before anything reads it.
const userDataOverride = process.env['QUBS_USER_DATA_DIR']
if (userDataOverride) app.setPath('userData', userDataOverride)
// The log file is where support information points; the logger has already removed PHI fields.
const logFile = join(app.getPath('userData'), 'logs', 'main.log')
const toLogFile = fileSink(logFile)
const logger = createLogger('main', {
  sink: (record) => {
    stderrSink(record)
    toLogFile(record)
  },
})
const rendererDir = join(__dirname, '../renderer')
const devServerUrl = !app.isPackaged ? process.env['ELECTRON_RENDERER_URL'] : undefined
const isTrustedUrl = createTrustedUrlCheck(rendererDir, devServerUrl)
const ourWindows = new Map<number, BrowserWindow>()
let host: WorkstationHost | undefined

// Dictation tools find text fields through the accessibility tree, which Chromium builds only when
// it detects assistive technology; force it on.
app.setAccessibilitySupportEnabled(true)
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
  const seal = await safeStorageSeal(logger.child('vault'))
  const userData = app.getPath('userData')
  const dataDir = process.env['QUBS_DATA_DIR'] || join(userData, 'data')
  const vault = new SealedFileVault(join(userData, 'vault.json'), seal)
  const settings = await SettingsStore.open({ filePath: join(userData, 'settings.json'), logger })
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
    beforeConfiguredOpen: async () => {
      const weak = seal.strength === 'weak' || (await vault.dataKeyStrength()) === 'weak'
      if (weak && process.env['QUBS_ALLOW_WEAK_KEYSTORE'] !== '1') {
        // Patient data under a well-known password is not protected: refuse rather than pretend.
        throw new ContractError(
          'refused',
          'patient data would be protected only by a well-known password (no OS keyring now, or none when the key was made); set QUBS_ALLOW_WEAK_KEYSTORE=1 to override',
        )
      }
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
        openExternal: electronOpenExternal(),
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
  windowState = new WindowStateFile(join(userData, 'window-state.json'), logger)
  const running = host
  // Resume from sleep and the network coming back: try the outbox now and refresh the worklist.
  watchWake({ power: powerMonitor, isOnline: () => net.isOnline(), onWake: (reason) => running.wake(reason) })
  await openWindow()
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) void openWindow()
  })
}

let windowState: WindowStateFile | undefined

function displayAreas(): DisplayArea[] {
  const primary = screen.getPrimaryDisplay().id
  return screen.getAllDisplays().map((d) => ({ id: d.id, workArea: d.workArea, primary: d.id === primary }))
}

async function openWindow(): Promise<void> {
  const placement = placeWindow((await windowState?.read()) ?? null, displayAreas())
  const window = createMainWindow({
    preloadPath: join(__dirname, '../preload/index.cjs'),
    devServerUrl,
    rendererDir,
    isTrustedUrl,
    logger: logger.child('window'),
  })
  // Placed before it is first shown (the window opens hidden until ready-to-show).
  window.setBounds(placement.bounds)
  if (placement.maximized) window.maximize()
  const id = window.webContents.id
  ourWindows.set(id, window)
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
  void host.close().finally(() => app.quit())
})

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit()
})
