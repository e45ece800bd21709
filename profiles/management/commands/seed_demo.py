from django.conf import settings
from django.core.management.base import BaseCommand

from profiles.demo import seed_demo


class Command(BaseCommand):
    help = "Load the demo sentra, buyers, IKMs and one login per role. Running it twice changes nothing."

    def handle(self, *args, **options):
        logins = seed_demo()
        # The demo event lives in the events app, which builds on profiles: seeded from this edge.
        from events.demo import seed_demo_event, seed_demo_past_event
        from profiles.models import User

        dinas = User.objects.get(email="dinas@demo.ikmportal.id")
        seed_demo_event(dinas=dinas)
        seed_demo_past_event(dinas=dinas)
        from matchmaking.demo import seed_demo_needs

        seed_demo_needs(buyer_staff=User.objects.get(email="buyer@demo.ikmportal.id"))
        self.stdout.write(self.style.SUCCESS("Demo data ready. Sign in at http://127.0.0.1:8000/accounts/login/"))
        self.stdout.write(f"  password for every demo login: {settings.DEMO_PASSWORD}")
        for login in logins:
            self.stdout.write(f"  {login.role:<12} {login.email:<28} {login.note}")
