// Asks before irreversible actions: a form with data-confirm submits only after a yes.
document.addEventListener('submit', (event) => {
  const question = event.target.getAttribute('data-confirm')
  if (question && !window.confirm(question)) {
    event.preventDefault()
  }
})

// Copies a field's text (the Telegram command) for a button with data-copy.
document.addEventListener('click', async (event) => {
  const button = event.target.closest('[data-copy]')
  if (!button) {
    return
  }
  const field = document.getElementById(button.getAttribute('data-copy'))
  await navigator.clipboard.writeText(field.value)
  button.textContent = button.getAttribute('data-copied')
})

// A form is sent once: a second click while the first request is on its way (a double click on
// «Запросить выплату») would repeat the action. Coming back to the page (history) allows it again.
document.addEventListener('submit', (event) => {
  const form = event.target
  if (event.defaultPrevented || form.method !== 'post') {
    return
  }
  if (form.dataset.sent) {
    event.preventDefault()
    return
  }
  form.dataset.sent = 'true'
})
window.addEventListener('pageshow', () => {
  for (const form of document.querySelectorAll('form[data-sent]')) {
    delete form.dataset.sent
  }
})
