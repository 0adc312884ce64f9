import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { App } from './App'
import { installGlobalErrorLogging } from './bridge/log'
import './styles.css'

// Errors nobody caught go to main's log (redacted there), not to a console a screenshot can show.
installGlobalErrorLogging(window)
const container = document.getElementById('root')
if (!container) throw new Error('index.html has no #root element')
createRoot(container).render(
  <StrictMode>
    <App />
  </StrictMode>,
)
