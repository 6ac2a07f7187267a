import { useMutation } from '@apollo/client/react';
import { useState, type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router';
import { Field } from '../../../components/field';
import { ErrorNotice } from '../../../components/notice';
import { SignUpDocument } from '../../../generated/graphql';
import { AuthLayout } from '../components/auth-layout';
import { useCompleteSignIn } from '../hooks/use-complete-sign-in';

const PASSWORD_MIN = 8;
const PASSWORD_MAX = 256;

export function SignUpPage() {
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [touched, setTouched] = useState(false);
  const [signUp, { loading, error }] = useMutation(SignUpDocument);
  const completeSignIn = useCompleteSignIn();
  const [params] = useSearchParams();

  const passwordProblem =
    password.length < PASSWORD_MIN
      ? `Use at least ${PASSWORD_MIN} characters.`
      : password.length > PASSWORD_MAX
        ? `Use at most ${PASSWORD_MAX} characters.`
        : null;
  const problems = {
    name: name.trim() === '' ? 'Enter your name.' : null,
    email: /^[^\s@]+@[^\s@]+$/.test(email.trim()) ? null : 'Enter a valid email address.',
    password: passwordProblem,
  };
  const valid = !problems.name && !problems.email && !problems.password;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setTouched(true);
    if (!valid) return;
    const result = await signUp({ variables: { name: name.trim(), email: email.trim(), password } }).catch(() => null);
    if (result?.data) await completeSignIn(result.data.signUp.user);
  };

  return (
    <AuthLayout
      title="Create your account"
      footer={
        <>
          Already have an account? <Link to={`/sign-in${params.size > 0 ? `?${params.toString()}` : ''}`}>Sign in</Link>
        </>
      }
    >
      <form className="form" onSubmit={submit} noValidate>
        {error ? <ErrorNotice error={error} /> : null}
        <Field
          label="Your name"
          name="name"
          autoComplete="name"
          required
          value={name}
          onChange={(event) => setName(event.target.value)}
          error={touched ? problems.name : null}
        />
        <Field
          label="Email"
          type="email"
          name="email"
          autoComplete="email"
          required
          value={email}
          onChange={(event) => setEmail(event.target.value)}
          error={touched ? problems.email : null}
        />
        <Field
          label="Password"
          type="password"
          name="password"
          autoComplete="new-password"
          required
          hint={`${PASSWORD_MIN} to ${PASSWORD_MAX} characters.`}
          value={password}
          onChange={(event) => setPassword(event.target.value)}
          error={touched ? problems.password : null}
        />
        <p className="muted">A workspace that you own is created with your account.</p>
        <button type="submit" className="button button-primary button-block" disabled={loading}>
          {loading ? 'Creating your account…' : 'Create account'}
        </button>
      </form>
    </AuthLayout>
  );
}
