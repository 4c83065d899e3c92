/*
|--------------------------------------------------------------------------
| Validation messages
|--------------------------------------------------------------------------
|
| VineJS reports every invalid field; these are the Russian messages the
| API returns in `fields[].message`.
|
*/
import vine, { SimpleMessagesProvider } from '@vinejs/vine'

vine.messagesProvider = new SimpleMessagesProvider({
  required: 'Поле обязательно',
  string: 'Должно быть строкой',
  number: 'Должно быть числом',
  boolean: 'Должно быть true или false',
  object: 'Должно быть объектом',
  array: 'Должно быть списком',
  email: 'Некорректный адрес почты',
  url: 'Некорректная ссылка',
  minLength: 'Не короче {{ min }} символов',
  maxLength: 'Не длиннее {{ max }} символов',
  fixedLength: 'Ровно {{ size }} символов',
  enum: 'Допустимые значения: {{ choices }}',
  in: 'Недопустимое значение',
  min: 'Не меньше {{ min }}',
  max: 'Не больше {{ max }}',
  range: 'От {{ min }} до {{ max }}',
  positive: 'Должно быть больше нуля',
  withoutDecimals: 'Должно быть целым числом',
  date: 'Некорректная дата',
  regex: 'Некорректный формат',
})
