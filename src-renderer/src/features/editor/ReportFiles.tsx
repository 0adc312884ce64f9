import { useState, type DragEvent } from 'react'
import type { ReportFile } from './editor-store'
import { checkReportFiles } from './report-files'

/**
 * Files that go with the report (PDF, DICOM SR): added by the picker or by dropping them here, each
 * checked by content; a refused file says why, next to its name. They are queued after the report.
 */
export function ReportFiles({
  files,
  onChange,
}: Readonly<{ files: readonly ReportFile[]; onChange: (files: readonly ReportFile[]) => void }>) {
  const [problems, setProblems] = useState<readonly { fileName: string; problem: string }[]>([])
  const [over, setOver] = useState(false)
  const add = async (list: FileList | null) => {
    if (!list || list.length === 0) return
    const checked = await checkReportFiles([...list], files.length)
    onChange([...files, ...checked.flatMap((c) => (c.ok ? [c.file] : []))])
    setProblems(checked.flatMap((c) => (c.ok ? [] : [{ fileName: c.fileName, problem: c.problem }])))
  }
  const onDrop = (event: DragEvent) => {
    event.preventDefault()
    setOver(false)
    void add(event.dataTransfer.files)
  }
  return (
    <div
      className={`report-files${over ? ' drop-over' : ''}`}
      onDragOver={(e) => {
        e.preventDefault()
        setOver(true)
      }}
      onDragLeave={() => setOver(false)}
      onDrop={onDrop}
    >
      <label className="file-pick">
        Attach PDF or DICOM SR…
        <input
          type="file"
          multiple
          accept=".pdf,.dcm,application/pdf,application/dicom"
          onChange={(e) => {
            void add(e.target.files)
            e.target.value = ''
          }}
        />
      </label>
      <span className="muted"> or drop files here (at most 20, 2 MB each)</span>
      {files.length > 0 && (
        <ul aria-label="Files to send with the report">
          {files.map((f, i) => (
            <li key={`${f.fileName}-${i}`}>
              {f.fileName} ({f.contentType === 'application/pdf' ? 'PDF' : 'DICOM'},{' '}
              {f.bytes.byteLength.toLocaleString('en')} bytes){' '}
              <button
                type="button"
                aria-label={`Remove ${f.fileName}`}
                onClick={() => onChange(files.filter((_, j) => j !== i))}
              >
                Remove
              </button>
            </li>
          ))}
        </ul>
      )}
      {/* Only while a file was refused: an empty alert would tell assistive tech there is a problem. */}
      {problems.length > 0 && (
        <div role="alert">
          <ul className="error" aria-label="Files not added">
            {problems.map((p, i) => (
              <li key={`${p.fileName}-${i}`}>
                {p.fileName}: {p.problem}
              </li>
            ))}
          </ul>
        </div>
      )}
    </div>
  )
}
