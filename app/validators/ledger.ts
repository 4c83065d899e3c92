import vine from '@vinejs/vine'
import { pageFields } from '#validators/pagination'

export const listLedgerValidator = vine.create({ ...pageFields })
