import { useMutation } from '@apollo/client/react';
import { useState, type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router';
import { Field } from '../../../components/field';
import { ErrorNotice } from '../../../components/notice';
import { SignInDocument } from '../../../generated/graphql';
import { toDisplayError, type DisplayError } from '../../../lib/errors';
import { AuthLayout } from '../components/auth-layout';
import { useCompleteSignIn } from '../hooks/use-complete-sign-in';

/** "Please sign in to continue" would be an odd headline on the sign-in form itself. */
function signInError(error: unknown): DisplayError {
  const display = toDisplayError(error);
  return display.code === 'UNAUTHENTICATED' ? { ...display, title: 'Could not sign you in', whoCanFix: null } : display;
}

export function SignInPage() {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [signIn, { loading, error }] = useMutation(SignInDocument);
  const completeSignIn = useCompleteSignIn();
  const [params] = useSearchParams();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const result = await signIn({ variables: { email, password } }).catch(() => null);
    if (result?.data) await completeSignIn(result.data.signIn.user);
  };

  return (
    <AuthLayout
      title="Sign in"
      footer={
        <>
          New here? <Link to={`/sign-up${params.size > 0 ? `?${params.toString()}` : ''}`}>Create an account</Link>
        </>
      }
    >
      <form className="form" onSubmit={submit} noValidate>
        {error ? <ErrorNotice display={signInError(error)} /> : null}
        <Field label="Email" type="email" name="email" autoComplete="username" required value={email} onChange={(event) => setEmail(event.target.value)} />
        <Field
          label="Password"
          type="password"
          name="password"
          autoComplete="current-password"
          required
          value={password}
          onChange={(event) => setPassword(event.target.value)}
        />
        <button type="submit" className="button button-primary button-block" disabled={loading}>
          {loading ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </AuthLayout>
  );
}
