"""
Login throttling (django-axes, configured in newsclaims/settings.py): five failed admin
logins for one username from one address lock that pair out for 30 minutes, even with
the right password; other addresses and other usernames are unaffected.
"""

import datetime

from axes.models import AccessAttempt
from django.contrib.auth.models import User
from django.db.models import F
from django.test import Client, TestCase, override_settings
from django.urls import reverse

from .test_security_headers import security_header_problems

PASSWORD = "correct horse battery 42"
WRONG = "wrong password 17"
ATTACKER = "192.0.2.10"
SOMEONE_ELSE = "198.51.100.20"
LOCKED_MESSAGE = "Too many failed sign-ins"
BAD_LOGIN_MESSAGE = "Please enter the correct username and password"


# A fast hasher: a hundred sign-ins with the default one take minutes.
@override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
class LoginThrottlingTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.alice = User.objects.create_user("alice", password=PASSWORD, is_staff=True)
        cls.bob = User.objects.create_user("bob", password=PASSWORD, is_staff=True)

    def login(self, username, password, address=ATTACKER, **extra):
        """One sign-in through the admin login page, in a browser of its own."""
        return Client().post(
            reverse("admin:login"),
            {"username": username, "password": password, "next": reverse("admin:index")},
            REMOTE_ADDR=address,
            **extra,
        )

    def assertSignedIn(self, response):
        self.assertRedirects(response, reverse("admin:index"), fetch_redirect_response=False)

    def assertLockedOut(self, response):
        self.assertContains(response, LOCKED_MESSAGE, status_code=429)
        self.assertContains(response, "is paused", status_code=429)
        self.assertNotIn("_auth_user_id", response.wsgi_request.session)

    def fail_five_times(self, username="alice", address=ATTACKER, **extra):
        for attempt in range(1, 5):
            response = self.login(username, WRONG, address, **extra)
            self.assertContains(response, BAD_LOGIN_MESSAGE, msg_prefix=f"attempt {attempt}")
        with self.assertLogs("axes", "WARNING") as logs:
            fifth = self.login(username, WRONG, address, **extra)
        return fifth, logs

    def move_attempts_back(self, minutes):
        AccessAttempt.objects.update(
            attempt_time=F("attempt_time") - datetime.timedelta(minutes=minutes)
        )

    def test_four_failures_do_not_lock_anyone_out(self):
        for _ in range(4):
            self.login("alice", WRONG)
        self.assertSignedIn(self.login("alice", PASSWORD))

    def test_the_fifth_failure_locks_the_username_and_address_out(self):
        fifth, logs = self.fail_five_times()
        self.assertLockedOut(fifth)
        # Then even the right password is refused, with a clear message.
        self.assertLockedOut(self.login("alice", PASSWORD))

    def test_the_message_says_how_long_the_pause_lasts_in_words(self):
        # Fails today: templates/registration/locked_out.html prints the timedelta
        # {{ cooloff_timedelta }} as it is, so the page says "paused for 0:30:00".
        fifth, _ = self.fail_five_times()
        self.assertContains(fifth, "paused for 30 minutes", status_code=429)

    def test_the_lockout_is_logged_and_recorded(self):
        _, logs = self.fail_five_times()
        lockouts = [line for line in logs.output if "Locking out" in line]
        self.assertEqual(len(lockouts), 1, logs.output)
        self.assertIn("alice", lockouts[0])
        self.assertIn(ATTACKER, lockouts[0])
        attempt = AccessAttempt.objects.get(username="alice", ip_address=ATTACKER)
        self.assertEqual(attempt.failures_since_start, 5)

    def test_the_passwords_tried_are_not_stored(self):
        self.fail_five_times()
        for attempt in AccessAttempt.objects.all():
            self.assertNotIn(WRONG, attempt.post_data)
            self.assertNotIn(PASSWORD, attempt.post_data)

    def test_another_address_is_still_allowed(self):
        self.fail_five_times()
        self.assertSignedIn(self.login("alice", PASSWORD, SOMEONE_ELSE))

    def test_another_username_is_still_allowed(self):
        self.fail_five_times()
        self.assertSignedIn(self.login("bob", PASSWORD))

    def test_changing_the_browser_does_not_lift_the_lockout(self):
        self.fail_five_times()
        self.assertLockedOut(self.login("alice", PASSWORD, HTTP_USER_AGENT="Another browser/1.0"))

    def test_a_forged_forwarded_for_header_does_not_lift_the_lockout(self):
        # Without PROXY_COUNT there is no proxy to trust: the client's own address counts.
        self.fail_five_times()
        self.assertLockedOut(self.login("alice", PASSWORD, HTTP_X_FORWARDED_FOR=SOMEONE_ELSE))

    def test_the_cool_off_lasts_thirty_minutes(self):
        self.fail_five_times()
        self.move_attempts_back(29)
        self.assertLockedOut(self.login("alice", PASSWORD))
        # That attempt, made while locked out, started the 30 minutes again.
        self.move_attempts_back(31)
        self.assertSignedIn(self.login("alice", PASSWORD))

    @override_settings(AXES_COOLOFF_TIME=datetime.timedelta(microseconds=1))
    def test_the_cool_off_is_read_from_the_settings(self):
        self.fail_five_times()
        self.assertSignedIn(self.login("alice", PASSWORD))

    def test_a_successful_login_resets_the_count(self):
        for _ in range(4):
            self.login("alice", WRONG)
        self.assertSignedIn(self.login("alice", PASSWORD))
        for _ in range(4):
            self.login("alice", WRONG)
        self.assertSignedIn(self.login("alice", PASSWORD))

    def test_the_lockout_page_carries_the_security_headers(self):
        self.fail_five_times()
        response = Client().post(
            reverse("admin:login"),
            {"username": "alice", "password": PASSWORD},
            REMOTE_ADDR=ATTACKER,
            secure=True,
        )
        self.assertEqual(response.status_code, 429)
        self.assertEqual(security_header_problems(response), [])

    # PROXY_COUNT=1 (README: "so login throttling sees the client's address"). Behind
    # the proxy every request comes from the proxy's address; the client's is in
    # X-Forwarded-For, appended by the proxy.
    @override_settings(PROXY_COUNT=1)
    def test_behind_a_proxy_clients_are_told_apart_by_their_forwarded_address(self):
        proxy = "10.0.0.2"
        self.fail_five_times(address=proxy, HTTP_X_FORWARDED_FOR=ATTACKER)
        self.assertLockedOut(self.login("alice", PASSWORD, proxy, HTTP_X_FORWARDED_FOR=ATTACKER))
        # Someone else, behind the same proxy, is not locked out by the attacker.
        self.assertSignedIn(self.login("alice", PASSWORD, proxy, HTTP_X_FORWARDED_FOR=SOMEONE_ELSE))
