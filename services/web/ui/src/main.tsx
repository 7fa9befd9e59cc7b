import { render } from 'preact'
import { App } from './app.tsx'
import { restoreSession } from './lib/api.ts'
import './styles.css'

render(<App />, document.getElementById('app')!)
void restoreSession()
