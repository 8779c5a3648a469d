"""
Login throttling (django-axes, configured in newsclaims/settings.py): five failed admin
logins for one username from one address lock that pair out for 30 minutes, even with
the right password; other addresses and other usernames are unaffected.
"""

import datetime

from axes.models import AccessAttempt
from django.contrib.auth.models import User
from django.db.models import F
from django.test import Client, RequestFactory, SimpleTestCase, TestCase, override_settings
from django.urls import reverse

from newsclaims.client_ip import client_ip

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

    # What proxies really append: a port, brackets around IPv6, or something broken. None
    # of it may reach axes' inet column as it is (PostgreSQL refuses it: a 500).
    @override_settings(PROXY_COUNT=1)
    def test_behind_a_proxy_an_address_with_a_port_or_brackets_is_the_clients_address(self):
        proxy = "10.0.0.2"
        for forwarded, address in [
            ("192.0.2.10:5678", "192.0.2.10"),
            ("[2001:db8::1]", "2001:db8::1"),
            ("[2001:db8::1]:443", "2001:db8::1"),
        ]:
            with self.subTest(forwarded):
                AccessAttempt.objects.all().delete()
                self.login("alice", WRONG, proxy, HTTP_X_FORWARDED_FOR=forwarded)
                self.assertEqual(
                    list(AccessAttempt.objects.values_list("ip_address", flat=True)), [address]
                )
                self.assertSignedIn(
                    self.login("alice", PASSWORD, proxy, HTTP_X_FORWARDED_FOR=forwarded)
                )

    @override_settings(PROXY_COUNT=1)
    def test_behind_a_proxy_a_forwarded_value_that_is_no_address_never_breaks_the_login(self):
        proxy = "10.0.0.2"
        for forwarded in ["not-an-ip", "1.2.3.999", "1.2.3.4:99999", "x" * 3000, "fe80::1%eth0"]:
            with self.subTest(forwarded[:20]):
                AccessAttempt.objects.all().delete()
                response = self.login("alice", WRONG, proxy, HTTP_X_FORWARDED_FOR=forwarded)
                self.assertContains(response, BAD_LOGIN_MESSAGE)
                # Counted against the address the request came from: the proxy's.
                self.assertEqual(
                    list(AccessAttempt.objects.values_list("ip_address", flat=True)), [proxy]
                )
                self.assertSignedIn(
                    self.login("alice", PASSWORD, proxy, HTTP_X_FORWARDED_FOR=forwarded)
                )


class ClientAddressTests(SimpleTestCase):
    """newsclaims.client_ip: the address axes records, from the proxy's X-Forwarded-For."""

    def address(self, forwarded=None, remote="10.0.0.2"):
        meta = {"REMOTE_ADDR": remote}
        if forwarded is not None:
            meta["HTTP_X_FORWARDED_FOR"] = forwarded
        return client_ip(RequestFactory().get("/", **meta))

    def test_without_proxy_count_the_forwarded_header_is_ignored(self):
        self.assertEqual(self.address("192.0.2.10"), "10.0.0.2")

    @override_settings(PROXY_COUNT=1)
    def test_addresses_as_proxies_write_them_are_read_in_their_usual_form(self):
        for forwarded, address in {
            "192.0.2.10": "192.0.2.10",
            " 192.0.2.10 ": "192.0.2.10",
            "192.0.2.10:5678": "192.0.2.10",
            "2001:DB8:0::1": "2001:db8::1",
            "[2001:db8::1]": "2001:db8::1",
            "[2001:db8::1]:443": "2001:db8::1",
            "::ffff:192.0.2.10": "192.0.2.10",
            "forged, 198.51.100.7, 192.0.2.10": "192.0.2.10",
        }.items():
            with self.subTest(forwarded):
                self.assertEqual(self.address(forwarded), address)

    @override_settings(PROXY_COUNT=1)
    def test_anything_else_falls_back_to_the_address_the_request_came_from(self):
        for forwarded in [
            "",
            ",",
            "not-an-ip",
            "1.2.3.999",
            "1.2.3.4:99999",
            "1.2.3.4:http",
            "[1.2.3.4]",
            "[2001:db8::1",
            "fe80::1%eth0",
            "unknown",
            "x" * 3000,
            "1" * 3000,
            "192.0.2.10\x00",
        ]:
            with self.subTest(forwarded[:20]):
                self.assertEqual(self.address(forwarded), "10.0.0.2")

    @override_settings(PROXY_COUNT=2)
    def test_with_two_proxies_the_client_is_the_second_entry_from_the_right(self):
        self.assertEqual(self.address("forged, 192.0.2.10:1234, 10.0.0.1"), "192.0.2.10")
        # Fewer entries than proxies: the header was not written by both of them.
        self.assertEqual(self.address("192.0.2.10"), "10.0.0.2")

    @override_settings(PROXY_COUNT=1)
    def test_a_remote_address_that_is_no_address_gives_none(self):
        # axes records None (NULL) rather than something its inet column refuses.
        self.assertIsNone(self.address("not-an-ip", remote=""))
        self.assertIsNone(self.address(remote="unix:/run/gunicorn.sock"))
