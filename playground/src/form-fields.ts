/**
 * Labelled form controls for the builder, and reading/writing their values as flat
 * {@link FormValues}. Real `<label>`s, `<fieldset>`s and native inputs: keyboard and screen
 * readers work without extra code.
 */
import { h } from './dom.js'
import type { FormValues } from './settings.js'

interface FieldOptions {
  hint?: string
  placeholder?: string
  min?: number
  max?: number
  step?: number | 'any'
  /** Full width in the two-column grid of a fieldset. */
  wide?: boolean
}

const idOf = (name: string): string => `f-${name.replace(/[^\w-]/g, '-')}`

function wrap(name: string, label: string, control: HTMLElement, options: FieldOptions): HTMLElement {
  const hintId = `${idOf(name)}-hint`
  if (options.hint) control.setAttribute('aria-describedby', hintId)
  return h('div', { class: options.wide ? 'field wide' : 'field' }, h('label', { for: idOf(name) }, label), control, options.hint ? h('small', { id: hintId }, options.hint) : null)
}

export function numberField(name: string, label: string, options: FieldOptions = {}): HTMLElement {
  const input = h('input', { id: idOf(name), name, type: 'number', inputmode: 'decimal', min: options.min, max: options.max, step: options.step ?? 'any', placeholder: options.placeholder })
  return wrap(name, label, input, options)
}

export function textField(name: string, label: string, options: FieldOptions & { type?: 'text' | 'url' } = {}): HTMLElement {
  const input = h('input', { id: idOf(name), name, type: options.type ?? 'text', placeholder: options.placeholder, autocomplete: 'off', spellcheck: 'false' })
  return wrap(name, label, input, options)
}

export function selectField(name: string, label: string, choices: readonly (readonly [value: string, text: string])[], options: FieldOptions = {}): HTMLElement {
  const select = h('select', { id: idOf(name), name }, ...choices.map(([value, text]) => h('option', { value }, text)))
  return wrap(name, label, select, options)
}

export function checkboxField(name: string, label: string, options: FieldOptions = {}): HTMLElement {
  const input = h('input', { id: idOf(name), name, type: 'checkbox' })
  const hintId = `${idOf(name)}-hint`
  if (options.hint) input.setAttribute('aria-describedby', hintId)
  return h('div', { class: 'field check wide' }, input, h('label', { for: idOf(name) }, label), options.hint ? h('small', { id: hintId }, options.hint) : null)
}

/** Checkboxes sharing `name`; their value is the comma-joined list of the checked ones. */
export function checkboxGroup(name: string, legend: string, choices: readonly string[]): HTMLElement {
  return h(
    'fieldset',
    { class: 'field wide group' },
    h('legend', {}, legend),
    ...choices.map((choice) => h('label', { class: 'chip' }, h('input', { type: 'checkbox', name, value: choice }), choice)),
  )
}

/** Radio buttons sharing `name`. */
export function radioGroup(name: string, legend: string, choices: readonly (readonly [value: string, text: string, disabled?: boolean])[]): HTMLElement {
  return h(
    'fieldset',
    { class: 'field wide group' },
    h('legend', {}, legend),
    ...choices.map(([value, text, disabled]) => h('label', { class: 'chip' }, h('input', { type: 'radio', name, value, disabled }), text)),
  )
}

type Control = HTMLInputElement | HTMLSelectElement

function controls(form: HTMLFormElement): Control[] {
  return [...form.elements].filter((el): el is Control => (el instanceof HTMLInputElement || el instanceof HTMLSelectElement) && el.name !== '')
}

/** The form's values, by field name. */
export function readValues(form: HTMLFormElement): FormValues {
  const values: FormValues = {}
  const groups = new Map<string, string[]>()
  for (const control of controls(form)) {
    if (control instanceof HTMLInputElement && control.type === 'checkbox' && control.value !== 'on') {
      const checked = groups.get(control.name) ?? []
      if (control.checked) checked.push(control.value)
      groups.set(control.name, checked)
    } else if (control instanceof HTMLInputElement && control.type === 'checkbox') {
      values[control.name] = control.checked ? 'on' : ''
    } else if (control instanceof HTMLInputElement && control.type === 'radio') {
      if (control.checked) values[control.name] = control.value
    } else {
      values[control.name] = control.value
    }
  }
  for (const [name, checked] of groups) values[name] = checked.join(',')
  return values
}

/** Puts `values` into the form's controls (fields without a value are left alone). */
export function writeValues(form: HTMLFormElement, values: FormValues): void {
  for (const control of controls(form)) {
    const value = values[control.name]
    if (value === undefined) continue
    if (control instanceof HTMLInputElement && control.type === 'checkbox') {
      control.checked = control.value === 'on' ? value === 'on' : value.split(',').includes(control.value)
    } else if (control instanceof HTMLInputElement && control.type === 'radio') {
      control.checked = control.value === value
    } else {
      control.value = value
    }
  }
}
