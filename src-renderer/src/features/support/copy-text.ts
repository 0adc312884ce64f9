/**
 * Puts text on the clipboard. `navigator.clipboard` needs the clipboard-write permission, which the
 * Electron shell refuses (every permission is denied), so when it rejects the text is copied the
 * older way, from a selected off-screen field during the click. Answers whether either worked; when
 * neither did the caller shows the text for the person to copy.
 */
export async function copyText(text: string, doc: Document = document): Promise<boolean> {
  const clipboard = doc.defaultView?.navigator.clipboard
  if (clipboard) {
    try {
      await clipboard.writeText(text)
      return true
    } catch {
      // Refused: fall through to the selection copy.
    }
  }
  const field = doc.createElement('textarea')
  field.value = text
  field.setAttribute('readonly', '')
  field.style.position = 'fixed'
  field.style.left = '-10000px'
  const previous = doc.activeElement instanceof HTMLElement ? doc.activeElement : null
  doc.body.append(field)
  field.focus()
  field.select()
  try {
    return doc.execCommand('copy')
  } catch {
    return false
  } finally {
    field.remove()
    previous?.focus()
  }
}
