/**
 * Card numbers the Stripe.js double understands, as Stripe documents them for test mode, and the test
 * PaymentMethod each stands for when it is confirmed.
 */
export const TEST_CARDS = {
  /** Authorises (`pm_card_visa`). */
  visa: '4242424242424242',
  /** Declined with `card_declined` (`pm_card_chargeDeclined`). */
  declined: '4000000000000002',
} as const

/**
 * The source of a Stripe.js test double, served by the Stripe test server at `GET /v3/`.
 *
 * Why it exists: Stripe.js may only be loaded from https://js.stripe.com (Stripe forbids self-hosting it),
 * and tests run without a network, so a browser test cannot load the real one. This script stands in for it
 * and speaks to the test server the way Stripe.js speaks to api.stripe.com: `POST
 * /v1/payment_intents/:id/confirm` from the browser, with the publishable key as bearer token and the
 * client secret in the form body, answered with Stripe's shapes.
 *
 * The subset it offers is what the web UI uses, with Stripe.js's signatures and results:
 * - `window.Stripe(publishableKey)`
 * - `stripe.elements(options?)` -> `elements.create('card', options?)` -> an element with `mount(elementOrSelector)`,
 *   `unmount()`, `destroy()`, `on(event, handler)` / `off(...)` (`ready`, `change`, `focus`, `blur`), `focus()`,
 *   `blur()`, `clear()`, `update(options)`. Unlike the real card element (an iframe with number, expiry and CVC),
 *   mounting renders one labelled text input for the card number, "卡号 Card number" (`name="cardnumber"`,
 *   `autocomplete="cc-number"`, `inputmode="numeric"`), straight into the page so tests can fill it by label.
 * - `stripe.confirmCardPayment(clientSecret, { payment_method: { card: cardElement } | 'pm_...' })`: the typed
 *   number picks the test PaymentMethod (TEST_CARDS; any other number resolves a `validation_error`
 *   `incorrect_number` without calling the server). Resolves `{ paymentIntent }` or `{ error }`, never rejects
 *   for card, validation or connection errors; it rejects only for misuse (IntegrationError), as Stripe.js does.
 * - `stripe.retrievePaymentIntent(clientSecret)`: resolves `{ paymentIntent }` or `{ error }`.
 *
 * The API origin is the origin the script was loaded from (`document.currentScript`), or `fallbackOrigin`
 * when that cannot be known.
 */
export function stripeJsSource(fallbackOrigin: string): string {
  return `/* Stripe.js test double: see @commons/testkit stripe-js.ts. Not Stripe's code. */
;(function () {
  'use strict'
  var script = document.currentScript
  var API = script && script.src ? new URL(script.src).origin : ${JSON.stringify(fallbackOrigin)}
  var CARDS = ${JSON.stringify({ [TEST_CARDS.visa]: 'pm_card_visa', [TEST_CARDS.declined]: 'pm_card_chargeDeclined' })}
  var mounted = 0

  class IntegrationError extends Error {
    constructor(message) {
      super(message)
      this.name = 'IntegrationError'
    }
  }

  function digitsOf(value) {
    return String(value || '').replace(/[\\s-]/g, '')
  }

  function luhn(digits) {
    var sum = 0
    for (var i = 0; i < digits.length; i++) {
      var d = Number(digits[digits.length - 1 - i])
      if (i % 2 === 1) d = d * 2 > 9 ? d * 2 - 9 : d * 2
      sum += d
    }
    return digits.length > 0 && sum % 10 === 0
  }

  function brandOf(digits) {
    if (/^4/.test(digits)) return 'visa'
    if (/^(5[1-5]|2[2-7])/.test(digits)) return 'mastercard'
    if (/^3[47]/.test(digits)) return 'amex'
    if (/^62/.test(digits)) return 'unionpay'
    return 'unknown'
  }

  class CardElement {
    constructor(options) {
      this._options = Object.assign({}, options)
      this._handlers = {}
      this._root = null
      this._input = null
      this._value = ''
      this._destroyed = false
    }

    _emit(event, payload) {
      var list = (this._handlers[event] || []).slice()
      for (var i = 0; i < list.length; i++) list[i](payload)
    }

    _state() {
      var digits = digitsOf(this._value)
      var complete = digits.length >= 16 && luhn(digits)
      var state = { elementType: 'card', empty: digits.length === 0, complete: complete, brand: brandOf(digits) }
      if (digits.length >= 16 && !complete)
        state.error = { type: 'validation_error', code: 'invalid_number', message: 'Your card number is invalid.' }
      return state
    }

    mount(target) {
      if (this._destroyed) throw new IntegrationError('This Element has already been destroyed. Please create a new one.')
      var host = typeof target === 'string' ? document.querySelector(target) : target
      if (!host || typeof host.appendChild !== 'function')
        throw new IntegrationError('The selector you specified (' + String(target) + ') applies to no DOM elements that are currently on the page.')
      if (this._root) this.unmount()
      var id = '__stripe-double-cardnumber-' + ++mounted
      var root = document.createElement('div')
      root.className = 'StripeElement'
      root.setAttribute('data-stripe-double', 'card')
      var label = document.createElement('label')
      label.setAttribute('for', id)
      label.textContent = '卡号 Card number'
      var input = document.createElement('input')
      input.id = id
      input.type = 'text'
      input.name = 'cardnumber'
      input.setAttribute('autocomplete', 'cc-number')
      input.setAttribute('inputmode', 'numeric')
      input.setAttribute('placeholder', '1234 1234 1234 1234')
      input.value = this._value
      input.disabled = Boolean(this._options.disabled)
      var self = this
      input.addEventListener('input', function () {
        self._value = input.value
        self._emit('change', self._state())
      })
      input.addEventListener('focus', function () {
        self._emit('focus', { elementType: 'card' })
      })
      input.addEventListener('blur', function () {
        self._emit('blur', { elementType: 'card' })
      })
      root.appendChild(label)
      root.appendChild(input)
      host.appendChild(root)
      this._root = root
      this._input = input
      setTimeout(function () {
        self._emit('ready', { elementType: 'card' })
      }, 0)
    }

    unmount() {
      if (this._root && this._root.parentNode) this._root.parentNode.removeChild(this._root)
      this._root = null
      this._input = null
    }

    destroy() {
      this.unmount()
      this._handlers = {}
      this._destroyed = true
    }

    on(event, handler) {
      ;(this._handlers[event] = this._handlers[event] || []).push(handler)
      return this
    }

    off(event, handler) {
      var list = this._handlers[event] || []
      this._handlers[event] = handler ? list.filter(function (h) { return h !== handler }) : []
      return this
    }

    focus() {
      if (this._input) this._input.focus()
    }

    blur() {
      if (this._input) this._input.blur()
    }

    clear() {
      this._value = ''
      if (this._input) this._input.value = ''
      this._emit('change', this._state())
    }

    update(options) {
      Object.assign(this._options, options)
      if (this._input) this._input.disabled = Boolean(this._options.disabled)
    }
  }

  function intentIdOf(clientSecret, method) {
    var id = typeof clientSecret === 'string' ? clientSecret.split('_secret_')[0] : ''
    if (!/^pi_/.test(id) || id === clientSecret)
      throw new IntegrationError('Invalid value for ' + method + ' intent secret: value should be a client_secret string. You specified: ' + String(clientSecret) + '.')
    return id
  }

  function Stripe(publishableKey, options) {
    if (!(this instanceof Stripe)) return new Stripe(publishableKey, options)
    if (typeof publishableKey !== 'string' || !/^pk_/.test(publishableKey))
      throw new IntegrationError('Invalid value for Stripe(): apiKey should be a publishable key (pk_...). You specified: ' + String(publishableKey) + '.')
    var key = publishableKey

    function request(method, path, params) {
      var body = new URLSearchParams(params).toString()
      var url = API + path + (method === 'GET' ? '?' + body : '')
      var init = { method: method, headers: { Authorization: 'Bearer ' + key } }
      if (method !== 'GET') {
        init.headers['Content-Type'] = 'application/x-www-form-urlencoded'
        init.body = body
      }
      return fetch(url, init).then(
        function (res) {
          return res.json().then(
            function (json) {
              if (res.ok) return { paymentIntent: json }
              return { error: (json && json.error) || { type: 'api_error', message: 'Unexpected answer ' + res.status + ' from Stripe.' } }
            },
            function () {
              return { error: { type: 'api_error', message: 'Unexpected answer ' + res.status + ' from Stripe.' } }
            },
          )
        },
        function () {
          return { error: { type: 'api_connection_error', message: 'An error occurred with our connection to Stripe. Request was retried 0 times.' } }
        },
      )
    }

    this.elements = function (elementsOptions) {
      var created = {}
      return {
        create: function (type, elementOptions) {
          if (type !== 'card') throw new IntegrationError('The Stripe.js test double only offers the card element, not ' + String(type) + '.')
          if (created.card) throw new IntegrationError('Can only create one Element of type card.')
          created.card = new CardElement(elementOptions)
          return created.card
        },
        getElement: function (type) {
          return created[type] || null
        },
        update: function () {},
        options: elementsOptions || {},
      }
    }

    this.confirmCardPayment = function (clientSecret, data) {
      var id
      try {
        id = intentIdOf(clientSecret, 'confirmCardPayment')
      } catch (error) {
        return Promise.reject(error)
      }
      var method = data && data.payment_method
      var paymentMethod
      if (typeof method === 'string') paymentMethod = method
      else if (method && method.card instanceof CardElement) {
        if (method.card._destroyed || !method.card._root)
          return Promise.reject(new IntegrationError('We could not retrieve data from the specified Element. Please make sure the Element you are attempting to use is still mounted.'))
        paymentMethod = CARDS[digitsOf(method.card._value)]
        if (!paymentMethod)
          return Promise.resolve({ error: { type: 'validation_error', code: 'incorrect_number', message: 'Your card number is incorrect.' } })
      } else {
        return Promise.reject(new IntegrationError('Invalid value for confirmCardPayment: payment_method should be a card Element or a PaymentMethod id.'))
      }
      return request('POST', '/v1/payment_intents/' + encodeURIComponent(id) + '/confirm', {
        client_secret: clientSecret,
        payment_method: paymentMethod,
      })
    }

    this.retrievePaymentIntent = function (clientSecret) {
      var id
      try {
        id = intentIdOf(clientSecret, 'retrievePaymentIntent')
      } catch (error) {
        return Promise.reject(error)
      }
      return request('GET', '/v1/payment_intents/' + encodeURIComponent(id), { client_secret: clientSecret })
    }
  }

  window.Stripe = Stripe
})()
`
}
