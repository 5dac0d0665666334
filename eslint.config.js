// Lint rules: typescript-eslint's `strict` set over every TypeScript file; layout is Prettier's job
// (`npm run lint` runs both checks; `npm test` runs `npm run lint`).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'coverage/**', 'node_modules/**', 'bench/results/**'] },
  js.configs.recommended,
  ...tseslint.configs.strict,
  {
    rules: {
      // `noUncheckedIndexedAccess` types every `a[i]` as possibly undefined; `a[i]!` after a length or
      // membership check is how this code states an index it has proven, and a runtime check there would
      // be dead code. The type checker, not this rule, is where those proofs are made.
      '@typescript-eslint/no-non-null-assertion': 'off',
      // `_name` marks a value destructured only to leave it out of the rest (`{ id: _id, ...rest }`).
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true }],
      // `present ? set.add(x) : set.delete(x)` is the idiom for "make membership equal to a boolean".
      '@typescript-eslint/no-unused-expressions': ['error', { allowTernary: true, allowShortCircuit: true }],
    },
  },
  {
    // Tests and benchmarks read arbitrary JSON answers and poke at them; typing every body would test the types, not the code.
    files: ['**/*.test.ts', 'test/**/*.ts', '**/*.test-support.ts', 'bench/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
);
