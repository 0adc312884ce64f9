import { join } from 'node:path'
import { app, BrowserWindow, ipcMain, session } from 'electron'
import { createLogger, stderrSink } from './common/logger'
import { AppCore } from './core/app-core'
import { bindIpc } from './electron/ipc-main'
import { hardenSession } from './electron/security'
import { createTrustedUrlCheck } from './electron/trusted-url'
import { createMainWindow } from './electron/window'

// Composition root: build the services, bind them to Electron, open the window. Nothing else here.
const logger = createLogger('main', { sink: stderrSink })
const rendererDir = join(__dirname, '../renderer')
const devServerUrl = !app.isPackaged ? process.env['ELECTRON_RENDERER_URL'] : undefined
const isTrustedUrl = createTrustedUrlCheck(rendererDir, devServerUrl)
const ourWindows = new Set<number>()

// Dictation tools find text fields through the accessibility tree, which Chromium builds only when
// it detects assistive technology; force it on.
app.setAccessibilitySupportEnabled(true)
if (!app.requestSingleInstanceLock()) app.quit()

void app.whenReady().then(() => {
  hardenSession(session.defaultSession, logger.child('security'))
  const core = new AppCore({
    name: app.getName(),
    version: app.getVersion(),
    mode: 'demo',
    runtime: {
      node: process.versions.node,
      electron: process.versions.electron,
      chrome: process.versions.chrome,
    },
    logger: logger.child('core'),
  })
  bindIpc({
    ipcMain,
    impl: core,
    logger: logger.child('ipc'),
    isTrustedUrl,
    isOurWebContents: (contents) => ourWindows.has(contents.id),
  })
  const open = () => {
    const window = createMainWindow({
      preloadPath: join(__dirname, '../preload/index.cjs'),
      devServerUrl,
      rendererDir,
      isTrustedUrl,
      logger: logger.child('window'),
    })
    const id = window.webContents.id
    ourWindows.add(id)
    window.on('closed', () => ourWindows.delete(id))
  }
  open()
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) open()
  })
})

app.on('second-instance', () => {
  const [window] = BrowserWindow.getAllWindows()
  if (window) {
    if (window.isMinimized()) window.restore()
    window.focus()
  }
})

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit()
})
