"""Sign-in throttling per account, on top of the per-IP limit.

Guesses at one account from any number of addresses share one count
(`RATE_LIMIT_LOGIN_ACCOUNT`): the wait grows as they go on and never exceeds the longest
window, and attempts refused meanwhile do not lengthen it. A browser that signed in to the
account before carries a signed cookie and keeps a count of its own, so guessing at the
account cannot lock its owner out of their own browser (OWASP's "device cookies").
"""

from dataclasses import dataclass

from medianest.auth import tokens
from medianest.cache.ratelimit import RateLimiter, RateLimitResult
from medianest.http.deps import rate_limit_exceeded


@dataclass(frozen=True, slots=True)
class SignInCounter:
    """Whose attempts an attempt counts with: the account's, or one known browser's."""

    account: str
    device: str | None

    @property
    def identity(self) -> tuple[str, ...]:
        if self.device is None:
            return ("login-account", self.account)
        return ("login-device", self.account, self.device)


class SignInThrottle:
    def __init__(self, limiter: RateLimiter, *, rules: str, secret: str) -> None:
        self._limiter = limiter
        self._rules = rules
        self._secret = secret

    def counter(self, email: str, device_token: str) -> SignInCounter:
        """The count for signing in to `email` from a browser holding `device_token`."""
        account = email.strip().lower()
        return SignInCounter(account, tokens.device_of(device_token, account, secret=self._secret))

    async def admit(self, counter: SignInCounter) -> RateLimitResult:
        """Count the attempt, or refuse it (429 with `Retry-After`) while the count is spent."""
        result = await self._limiter.hit_each(self._rules, *counter.identity)
        if not result.allowed:
            raise rate_limit_exceeded(
                result,
                self._rules,
                "Too many sign-in attempts for this account. Try again in "
                f"{result.retry_after_seconds} seconds.",
            )
        return result

    async def succeeded(self, counter: SignInCounter) -> None:
        """The right password was given: earlier failures no longer count."""
        await self._limiter.clear(self._rules, *counter.identity)

    def device_token(self, counter: SignInCounter) -> str:
        """The cookie that marks this browser as one that signed in to the account."""
        return tokens.new_device_token(counter.account, secret=self._secret)
