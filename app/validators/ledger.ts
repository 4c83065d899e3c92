import vine from '@vinejs/vine'
import { listFields } from '#validators/pagination'

export const listLedgerValidator = vine.create({ ...listFields })
