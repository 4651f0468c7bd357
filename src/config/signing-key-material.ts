import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
} from 'node:crypto';

export const JWT_ALGORITHMS = ['HS256', 'RS256', 'ES256'] as const;
export type JwtAlgorithm = (typeof JWT_ALGORITHMS)[number];
export type AsymmetricJwtAlgorithm = Exclude<JwtAlgorithm, 'HS256'>;

// jsonwebtoken refuses RSA keys under 2048 bits; saying so at start-up beats a 500 at login.
const MIN_RSA_BITS = 2048;
const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----[\s\S]*?-----END \1-----/g;

export function isAsymmetric(algorithm: JwtAlgorithm): algorithm is AsymmetricJwtAlgorithm {
  return algorithm !== 'HS256';
}

/**
 * An inline PEM as operators paste it into an environment variable: either with real line
 * breaks or, where the tool allows only one line, with literal `\n` sequences.
 */
export function normalisePem(text: string): string {
  return text.includes('\n') ? text : text.replace(/\\n/g, '\n');
}

/**
 * The private key of a PEM (PKCS#8, or the algorithm's traditional form: PKCS#1 for RSA,
 * SEC 1 for EC), checked against the algorithm; a string naming the problem otherwise.
 */
export function parsePrivateKey(
  pem: string,
  algorithm: AsymmetricJwtAlgorithm,
): KeyObject | string {
  let key: KeyObject;
  try {
    key = createPrivateKey(normalisePem(pem));
  } catch {
    return 'is not a PEM private key (PKCS#8, or PKCS#1 / SEC 1)';
  }
  return keyProblem(key, algorithm) ?? key;
}

/** Every public key of a file of concatenated PEMs, or a string naming the problem. */
export function parsePublicKeys(
  text: string,
  algorithm: AsymmetricJwtAlgorithm,
): KeyObject[] | string {
  const blocks = [...text.matchAll(PEM_BLOCK)];
  if (blocks.length === 0) {
    return 'holds no PEM public key';
  }
  const keys: KeyObject[] = [];
  for (const [index, [block, label]] of blocks.entries()) {
    if (label.includes('PRIVATE')) {
      // A previous key only verifies; its private half belongs nowhere near the server.
      return `key ${index + 1} is a private key: list only public keys`;
    }
    let key: KeyObject;
    try {
      key = createPublicKey(block);
    } catch {
      return `key ${index + 1} is not a PEM public key`;
    }
    const problem = keyProblem(key, algorithm);
    if (problem !== undefined) {
      return `key ${index + 1} ${problem}`;
    }
    keys.push(key);
  }
  return keys;
}

/** A new private key for the algorithm, as PKCS#8 PEM (development only). */
export function generatePrivateKeyPem(algorithm: AsymmetricJwtAlgorithm): string {
  const { privateKey } =
    algorithm === 'RS256'
      ? generateKeyPairSync('rsa', { modulusLength: MIN_RSA_BITS })
      : generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
}

function keyProblem(key: KeyObject, algorithm: AsymmetricJwtAlgorithm): string | undefined {
  const details = key.asymmetricKeyDetails ?? {};
  if (algorithm === 'RS256') {
    if (key.asymmetricKeyType !== 'rsa') {
      return `is a ${key.asymmetricKeyType ?? 'non-RSA'} key; RS256 needs an RSA key`;
    }
    if ((details.modulusLength ?? 0) < MIN_RSA_BITS) {
      return `is an RSA key of ${details.modulusLength} bits; RS256 needs at least ${MIN_RSA_BITS}`;
    }
    return undefined;
  }
  if (key.asymmetricKeyType !== 'ec' || details.namedCurve !== 'prime256v1') {
    return 'is not an EC P-256 key, which ES256 needs';
  }
  return undefined;
}
