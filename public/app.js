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
