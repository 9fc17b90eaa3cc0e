# Event-time correlation for bench/imsmon.sec, loaded by its SEC_STARTUP
# rule.  SEC's own windows (PairWithWindow, SingleWithThreshold, context
# lifetimes) run on the wall clock, which collapses when a file is
# replayed; so the rules in imsmon.sec recognise the evidence and this code
# keeps, per host, episodes in event time with the semantics of
# docs/diagnosis.md:
#
#   - an event joins the episode whose span, widened by the 600 s window,
#     holds its event time, else starts one (at most 8 per host, the least
#     recently touched is evicted);
#   - articles are scored from the episode's distinct evidence items with
#     the knowledge base's weights (discriminating 10, supporting 3,
#     symptom 1, divided by the number of articles sharing the item); the
#     top one is diagnosed when it has a discriminating item, at least
#     twice the runner-up's score and explains the episode (every item
#     but the shared start-failure report is one of its own: each is an
#     IMS event or another article's discriminator), otherwise the
#     episode is ambiguous;
#   - a fault is host + article (or host + ambiguous); repeats update it;
#     an ambiguous episode on a host with an open fault for a candidate is
#     a repeat of that fault; an ambiguous fault whose episode gets a
#     discriminator is refined (or superseded by an open fault for that
#     article); a fault opened or refined from an episode follows that
#     episode's evidence (refined to another article, or back to
#     ambiguous);
#   - the IMS seen running (in event time, not older than the last status
#     event) clears the host's faults whose evidence is not newer, forgets
#     its episodes, and makes older evidence history.
#
# At SEC_SHUTDOWN, dump() writes "HOST<TAB>ARTICLE|ambiguous" for every
# open fault.
package ImsmonSec;

use strict;
use warnings;
use Time::Local qw(timegm);

our $WINDOW = 600;
our $LEAD = 2.0;
our $MAX_EP = 8;
our $MAX_ITEMS = 16;
# Year of time stamps that carry none (evtsys); Snare's carry theirs.
our $YEAR = $ENV{IMSMON_SEC_YEAR} || 1900 + (gmtime)[5];

# Evidence items, as in kb/*.kb: name => [class, implied status, refs].
# Items of one class are alternatives: an event counts once per class.
my $SYM = [[Q154589 => 'y'], [Q173496 => 'y'], [Q183178 => 'y'],
    [Q246115 => 'y'], [Q306308 => 'y']];
our %ITEM = (
	imc4058	=> ['4058', undef, [[Q154589 => 'd']]],
	imc4143	=> ['4143', undef, [[Q173496 => 'd']]],
	imc4071	=> ['4071', undef, [[Q183178 => 'd']]],
	imc4072	=> ['4072', undef, [[Q183178 => 's']]],
	imc100	=> ['100', undef, [[Q246115 => 'd']]],
	any100	=> ['100', undef, [[Q246115 => 'd']]],
	is1023	=> ['1023', undef, [[Q306308 => 'd']]],
	imc4018	=> ['4018', undef, [[Q306308 => 's']]],
	imc4116	=> ['4116', undef, [[Q306308 => 's']]],
	scm2140	=> ['2140', 'start-failed', $SYM],
	imc2140	=> ['2140', 'start-failed', $SYM],
	any2140	=> ['2140', 'start-failed', $SYM],
);
my %BASE = (d => 10.0, s => 3.0, y => 1.0);

# Event IDs any rule looks at: everything else is dropped while parsing.
my %IDS = map { $_ => 1 } qw(100 1001 1023 2140 4018 4058 4071 4072 4116
    4143 7000 7023 7024 7036);
my %MON = (Jan => 0, Feb => 1, Mar => 2, Apr => 3, May => 4, Jun => 5,
    Jul => 6, Aug => 7, Sep => 8, Oct => 9, Nov => 10, Dec => 11);
my %SNARE_TYPE = ('Error' => 'error', 'Warning' => 'warning',
    'Information' => 'information', 'Success Audit' => 'audit-success',
    'Failure Audit' => 'audit-failure');

my %HOST;	# host => {st, rec, eps => [...], faults => [...]}
my $SEQ = 0;	# events seen: the "clock" of episode eviction

sub ntext {
	my $t = lc($_[0]);

	$t =~ s/#0(?:11|12|15)/ /g;
	$t =~ s/%%(\d+)/error $1/g;
	$t =~ tr/\t\r\n/   /;
	$t =~ s/ {2,}/ /g;
	$t =~ s/^ //;
	$t =~ s/ $//;
	return $t;
}

sub nhost {
	my $h = $_[0];

	$h =~ s/\..*// unless $h =~ /^[\d.]+$/;
	return uc($h);
}

# PerlFunc pattern: a Windows event from Snare (native, or relayed with
# TABs escaped as #011) or evtsys, with one of the IDs above.  Returns the
# fields as a hash (SEC caches it under the rule's varmap), else false.
sub parse {
	my $l = $_[0];
	my %e;

	return 0 if index($l, "\0") >= 0;	# imsdiag: malformed (nul)

	if ((my $p = index($l, 'MSWinEventLog')) >= 0) {
		return 0 unless substr($l, $p) =~ /^MSWinEventLog(\t|#011)\d+\1(\w+)\1\d+\1\w{3} (\w{3}) +(\d+) (\d\d):(\d\d):(\d\d) (\d{4})\1(\d+)\1/;
		return 0 unless $IDS{$9};
		my ($sep, $log) = ($1, $2);
		my @f = split(/\Q$sep\E/, substr($l, $p + $+[0]), -1);
		return 0 if @f < 8;
		%e = (log => lc($log), id => $9 + 0,
		    time => timegm($7, $6, $5, $4, $MON{$3} // 0, $8),
		    src => lc($f[0]), type => $SNARE_TYPE{$f[3]} // '',
		    host => nhost($f[4]),
		    text => ntext($f[7] ne '' ? $f[7] : $f[6]));
	} elsif (my ($pri, $mo, $d, $hh, $mi, $ss, $host, $src, $id, $text) =
	    $l =~ /^<(\d{1,3})>(\w{3}) +(\d+) (\d\d):(\d\d):(\d\d) (\S+) (\S+): (\d+): (.*)$/) {
		return 0 unless $IDS{$id} && $pri <= 191;
		my $sev = $pri & 7;
		my $type = $sev <= 3 ? 'error' : $sev == 4 ? 'warning' :
		    $sev <= 6 ? 'information' : '';

		if ($text =~ s/AUDIT_SUCCESS *$//) {
			$type = 'audit-success';
		} elsif ($text =~ s/AUDIT_FAILURE *$//) {
			$type = 'audit-failure';
		}
		($src = lc($src)) =~ tr/_/ /;
		%e = (log => '', id => $id + 0, src => $src, type => $type,
		    time => timegm($ss, $mi, $hh, $d, $MON{$mo} // 0, $YEAR),
		    host => nhost($host), text => ntext($text));
	} else {
		return 0;
	}
	return \%e;
}

# Type and log as the knowledge base matches them: what the event does not
# carry (evtsys sends no log name) is not held against it.
sub is {
	my ($e, $type, $log) = @_;

	return 0 if defined($type) && $e->{type} ne '' && $e->{type} ne $type;
	return 0 if defined($log) && $e->{log} ne '' && $e->{log} ne $log;
	return 1;
}

# Rule actions: note what the event matched.
sub hit {
	my ($e, $item) = @_;
	my $c = $ITEM{$item}[0];

	return if grep { $ITEM{$_}[0] eq $c } @{$e->{hits} //= []};
	push @{$e->{hits}}, $item;
}

sub status {
	my ($e, $st) = @_;

	push @{$e->{status} //= []}, $st
	    unless grep { $_ eq $st } @{$e->{status} // []};
}

sub host_state {
	my $h = $_[0];

	return $HOST{$h} //= { st => undef, rec => undef, eps => [],
	    faults => [] };
}

sub apply_status {
	my ($hs, $st, $t) = @_;

	return if defined($hs->{st}) && $t < $hs->{st};
	$hs->{st} = $t;
	return unless $st eq 'running';
	$hs->{rec} = $t if !defined($hs->{rec}) || $t > $hs->{rec};
	for my $f (@{$hs->{faults}}) {
		$f->{open} = 0 if $f->{open} && $f->{last} <= $t;
	}
	$hs->{eps} = [];
}

sub episode {
	my ($hs, $t) = @_;
	my $victim;

	for my $ep (@{$hs->{eps}}) {
		return $ep if $t >= $ep->{first} - $WINDOW &&
		    $t <= $ep->{last} + $WINDOW;
		$victim = $ep if !$victim || $ep->{touched} < $victim->{touched};
	}
	my $ep = { first => $t, last => $t, touched => $SEQ, fault => undef,
	    items => [] };
	if (@{$hs->{eps}} >= $MAX_EP) {
		@{$hs->{eps}} = grep { $_ != $victim } @{$hs->{eps}};
	}
	push @{$hs->{eps}}, $ep;
	return $ep;
}

sub find_fault {
	my ($hs, $art) = @_;

	for my $f (@{$hs->{faults}}) {
		return $f if $f->{open} && $f->{art} eq $art;
	}
	return undef;
}

sub open_fault {
	my ($hs, $art) = @_;
	my $f = { art => $art, open => 1, last => undef };

	push @{$hs->{faults}}, $f;
	return $f;
}

# Final rule's action: one event with everything the rules noted.
sub event {
	my $e = $_[0];
	my $t = $e->{time};
	my $hs = host_state($e->{host});

	$SEQ++;
	apply_status($hs, $_, $t) for @{$e->{status} // []};
	my $hits = $e->{hits} or return;
	return if defined($hs->{rec}) && $t < $hs->{rec};
	my $ep = episode($hs, $t);
	$ep->{touched} = $SEQ;
	$ep->{first} = $t if $t < $ep->{first};
	$ep->{last} = $t if $t > $ep->{last};
	for my $i (@$hits) {
		next if grep { $_ eq $i } @{$ep->{items}};
		push @{$ep->{items}}, $i if @{$ep->{items}} < $MAX_ITEMS;
	}
	for my $i (@$hits) {
		apply_status($hs, $ITEM{$i}[1], $t) if defined $ITEM{$i}[1];
	}
	reconcile($hs, $ep, $t);
}

sub reconcile {
	my ($hs, $ep, $t) = @_;
	my (%score, %disc, $opens);

	for my $i (@{$ep->{items}}) {
		my $refs = $ITEM{$i}[2];

		for my $r (@$refs) {
			my ($art, $role) = @$r;

			$score{$art} += $BASE{$role} / @$refs;
			$disc{$art} = 1 if $role eq 'd';
			$opens = 1 if $role ne 's';
		}
	}
	return unless $opens;
	my @rank = sort { $score{$b} <=> $score{$a} || $a cmp $b } keys %score;
	my $top = $rank[0];
	my $diagnosed = $disc{$top} && (@rank == 1 ||
	    $score{$top} >= $LEAD * $score{$rank[1]}) && explains($ep, $top);
	my $f = $ep->{fault};
	$f = undef if $f && !$f->{open};
	my $changed = 0;
	if ($diagnosed) {
		my $g = find_fault($hs, $top);
		if ($f && ($f->{art} eq '' ||
		    ($ep->{owns} && $f->{art} ne $top))) {
			if ($g) {
				$f->{open} = 0;		# superseded
				$f = $g;
			} else {
				$f->{art} = $top;	# refined
				$changed = 1;
			}
		} elsif (!$f || $f->{art} ne $top) {
			unless ($f = $g) {
				$f = open_fault($hs, $top);
				$changed = 1;
			}
		}
	} elsif (!$f) {
		for my $a (@rank) {
			last if $f = find_fault($hs, $a);
		}
		unless ($f //= find_fault($hs, '')) {
			$f = open_fault($hs, '');
			$changed = 1;
		}
	} elsif ($f->{art} ne '' && $ep->{owns} && !find_fault($hs, '')) {
		$f->{art} = '';		# no longer sure
		$changed = 1;
	}
	if ($changed) {
		$ep->{owns} = 1;
	} elsif (!$ep->{fault} || $f != $ep->{fault}) {
		$ep->{owns} = 0;
	}
	$ep->{fault} = $f;
	$f->{last} = $t if !defined($f->{last}) || $t > $f->{last};
}

# Does the article explain the episode?  Every item but the shared
# start-failure report must be one of its own.
sub explains {
	my ($ep, $art) = @_;
	for my $i (@{$ep->{items}}) {
		my $refs = $ITEM{$i}[2];
		next if $refs == $SYM;
		return 0 unless grep { $_->[0] eq $art } @$refs;
	}
	return 1;
}

sub dump {
	my $file = $_[0];
	my @out;

	for my $h (keys %HOST) {
		for my $f (@{$HOST{$h}{faults}}) {
			push @out, "$h\t" . ($f->{art} eq '' ? 'ambiguous' :
			    $f->{art}) . "\n" if $f->{open};
		}
	}
	open(my $fh, '>', $file) or die "$file: $!\n";
	print $fh sort @out;
	close($fh) or die "$file: $!\n";
	return scalar(@out);
}

1;
