import t from 'tap'
import { randomSecret, secretHash } from '../../src/domain/secrets.ts'

t.test('a secret is 256 random bits in base64url', async (t) => {
  const made = Array.from({ length: 200 }, randomSecret)
  for (const s of made) t.match(s, /^[A-Za-z0-9_-]{43}$/)
  t.equal(new Set(made).size, made.length, 'no two alike')
  t.equal(Buffer.from(made[0], 'base64url').length, 32)
})

t.test('a secret is stored as its SHA-256 in hex', async (t) => {
  t.equal(secretHash('abc'), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad', 'the FIPS 180-2 test vector')
  t.equal(secretHash('é'), '4a99557e4033c3539de2eb65472017cad5f9557f7a0625a09f1c3f6e2ba69c4c', 'text is hashed as UTF-8 (two bytes here)')
})
